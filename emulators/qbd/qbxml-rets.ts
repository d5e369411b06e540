import { leaf, type XmlNode } from '../../platforms/qbd/xml-tree.js';
import { UNDEPOSITED_FUNDS, UNDEPOSITED_FUNDS_ID, type QbdAccount, type QbdAccountRef, type QbdArRefund, type QbdCurrency, type QbdDeposit, type QbdCreditMemo, type QbdCustomer, type QbdItem, type QbdSalesReceipt, type QbdSalesTaxCode } from './company-data.js';

/** `*Ret` aggregates in the element order of Intuit's qbXML 16.0 schema (checked by test/qbd-company-emulator.test.ts). */

const ref = (name: string, listId: string | undefined, fullName: string | undefined): XmlNode => ({
  name,
  children: [leaf('ListID', listId), leaf('FullName', fullName)],
});

/** An account reference; none given means Undeposited Funds. */
const accountRef = (name: string, account: QbdAccountRef | undefined): XmlNode =>
  ref(name, account?.listId ?? UNDEPOSITED_FUNDS_ID, account?.fullName ?? UNDEPOSITED_FUNDS);

const listHeader = (r: { listId: string; timeCreated: string; editSequence: string }) => [
  leaf('ListID', r.listId),
  leaf('TimeCreated', r.timeCreated),
  leaf('TimeModified', r.timeCreated),
  leaf('EditSequence', r.editSequence),
];

/** `currency`: the customer's, shown only with Multiple Currencies on. */
export function customerRet(
  c: QbdCustomer,
  taxCodeListId: (name: string) => string | undefined,
  itemListId: (name: string) => string | undefined,
  currency: QbdCurrency | null = null,
): XmlNode {
  return {
    name: 'CustomerRet',
    children: [
      ...listHeader(c),
      leaf('Name', c.name),
      leaf('FullName', c.name),
      leaf('IsActive', c.isActive),
      leaf('Sublevel', 0),
      leaf('CompanyName', c.companyName),
      leaf('FirstName', c.firstName),
      leaf('LastName', c.lastName),
      leaf('Phone', c.phone),
      leaf('Email', c.email),
      leaf('Balance', '0.00'),
      leaf('TotalBalance', '0.00'),
      c.salesTaxCodeName ? ref('SalesTaxCodeRef', taxCodeListId(c.salesTaxCodeName), c.salesTaxCodeName) : null,
      c.itemSalesTaxName ? ref('ItemSalesTaxRef', itemListId(c.itemSalesTaxName), c.itemSalesTaxName) : null,
      leaf('JobStatus', 'None'),
      leaf('PreferredDeliveryMethod', 'None'),
      currency ? ref('CurrencyRef', currency.listId, currency.name) : null,
    ],
  };
}

export function itemRet(item: QbdItem, taxCodeListId: (name: string) => string | undefined): XmlNode {
  const header = [...listHeader(item), leaf('Name', item.name)];
  if (item.type === 'SalesTax') {
    return {
      name: 'ItemSalesTaxRet',
      children: [...header, leaf('IsActive', item.isActive), leaf('ItemDesc', item.description), leaf('TaxRate', item.price)],
    };
  }
  const taxCode = item.salesTaxCodeName ? ref('SalesTaxCodeRef', taxCodeListId(item.salesTaxCodeName), item.salesTaxCodeName) : null;
  const common = [...header, leaf('FullName', item.name), leaf('IsActive', item.isActive), leaf('Sublevel', 0)];
  if (item.type === 'Inventory') {
    return {
      name: 'ItemInventoryRet',
      children: [...common, leaf('ManufacturerPartNumber', item.manufacturerPartNumber), taxCode, leaf('SalesDesc', item.description), leaf('SalesPrice', item.price)],
    };
  }
  return {
    name: item.type === 'Service' ? 'ItemServiceRet' : 'ItemNonInventoryRet',
    children: [
      ...common,
      item.type === 'NonInventory' ? leaf('ManufacturerPartNumber', item.manufacturerPartNumber) : null,
      taxCode,
      { name: 'SalesOrPurchase', children: [leaf('Desc', item.description), leaf('Price', item.price)] },
    ],
  };
}

export function salesTaxCodeRet(code: QbdSalesTaxCode): XmlNode {
  return {
    name: 'SalesTaxCodeRet',
    children: [...listHeader(code), leaf('Name', code.name), leaf('IsActive', code.isActive), leaf('IsTaxable', code.isTaxable), leaf('Desc', code.desc)],
  };
}

/** The header every transaction `…Ret` opens with, in schema order. */
const txnHeader = (r: { txnId: string; timeCreated: string; editSequence: string; txnNumber: number }) => [
  leaf('TxnID', r.txnId),
  leaf('TimeCreated', r.timeCreated),
  leaf('TimeModified', r.timeCreated),
  leaf('EditSequence', r.editSequence),
  leaf('TxnNumber', r.txnNumber),
];

export function salesReceiptRet(r: QbdSalesReceipt, includeLines: boolean, taxCodeListId: (name: string) => string | undefined): XmlNode {
  const taxRef = (name: string | undefined) => (name ? ref('SalesTaxCodeRef', taxCodeListId(name), name) : null);
  return {
    name: 'SalesReceiptRet',
    children: [
      ...txnHeader(r),
      r.customer ? ref('CustomerRef', r.customer.listId, r.customer.fullName) : null,
      leaf('TxnDate', r.txnDate),
      leaf('RefNumber', r.refNumber),
      leaf('IsPending', false),
      leaf('DueDate', r.txnDate),
      leaf('ShipDate', r.txnDate),
      leaf('Subtotal', r.subtotal),
      r.itemSalesTax ? ref('ItemSalesTaxRef', r.itemSalesTax.listId, r.itemSalesTax.fullName) : null,
      leaf('SalesTaxPercentage', r.itemSalesTax?.ratePercent ?? '0.00'),
      leaf('SalesTaxTotal', r.salesTaxTotal),
      leaf('TotalAmount', r.totalAmount),
      ...currencyOf(r, 'TotalAmountInHomeCurrency', r.currency?.totalInHome),
      leaf('Memo', r.memo),
      leaf('IsToBePrinted', false),
      leaf('IsToBeEmailed', false),
      leaf('IsTaxIncluded', r.isTaxIncluded),
      r.customerSalesTaxCodeName ? ref('CustomerSalesTaxCodeRef', taxCodeListId(r.customerSalesTaxCodeName), r.customerSalesTaxCodeName) : null,
      accountRef('DepositToAccountRef', r.depositTo),
      ...(includeLines ? lineRets('SalesReceiptLineRet', r, taxRef) : []),
    ],
  };
}

/** A transaction's currency, rate and home-currency amount (multicurrency on), in schema order. */
function currencyOf(r: QbdSalesReceipt, homeElement: string, homeAmount: string | undefined): Array<XmlNode | null> {
  if (!r.currency) return [];
  return [ref('CurrencyRef', r.currency.listId, r.currency.fullName), leaf('ExchangeRate', r.currency.exchangeRate), leaf(homeElement, homeAmount)];
}

export function currencyRet(c: QbdCurrency): XmlNode {
  return {
    name: 'CurrencyRet',
    children: [...listHeader(c), leaf('Name', c.name), leaf('IsActive', c.isActive), leaf('CurrencyCode', c.code), leaf('ExchangeRate', c.exchangeRate)],
  };
}

function lineRets(element: string, r: QbdSalesReceipt, taxRef: (name: string | undefined) => XmlNode | null): XmlNode[] {
  return r.lines.map((l) => ({
    name: element,
    children: [leaf('TxnLineID', l.txnLineId), ref('ItemRef', l.itemListId, l.itemName), leaf('Desc', l.desc), leaf('Quantity', l.quantity), leaf('Rate', l.rate), leaf('Amount', l.amount), taxRef(l.salesTaxCodeName)],
  }));
}

export function creditMemoRet(r: QbdCreditMemo, includeLines: boolean, taxCodeListId: (name: string) => string | undefined): XmlNode {
  const taxRef = (name: string | undefined) => (name ? ref('SalesTaxCodeRef', taxCodeListId(name), name) : null);
  return {
    name: 'CreditMemoRet',
    children: [
      ...txnHeader(r),
      r.customer ? ref('CustomerRef', r.customer.listId, r.customer.fullName) : null,
      leaf('TxnDate', r.txnDate),
      leaf('RefNumber', r.refNumber),
      leaf('IsPending', false),
      leaf('Subtotal', r.subtotal),
      r.itemSalesTax ? ref('ItemSalesTaxRef', r.itemSalesTax.listId, r.itemSalesTax.fullName) : null,
      leaf('SalesTaxPercentage', r.itemSalesTax?.ratePercent ?? '0.00'),
      leaf('SalesTaxTotal', r.salesTaxTotal),
      leaf('TotalAmount', r.totalAmount),
      leaf('CreditRemaining', r.creditRemaining),
      ...currencyOf(r, 'CreditRemainingInHomeCurrency', r.currency ? (Math.round(Number(r.creditRemaining) * Number(r.currency.exchangeRate) * 100) / 100).toFixed(2) : undefined),
      leaf('Memo', r.memo),
      leaf('IsToBePrinted', false),
      leaf('IsToBeEmailed', false),
      leaf('IsTaxIncluded', r.isTaxIncluded),
      r.customerSalesTaxCodeName ? ref('CustomerSalesTaxCodeRef', taxCodeListId(r.customerSalesTaxCodeName), r.customerSalesTaxCodeName) : null,
      ...(includeLines ? lineRets('CreditMemoLineRet', r, taxRef) : []),
    ],
  };
}

export function arRefundCreditCardRet(r: QbdArRefund): XmlNode {
  return {
    name: 'ARRefundCreditCardRet',
    children: [
      ...txnHeader(r),
      ref('CustomerRef', r.customer.listId, r.customer.fullName),
      accountRef('RefundFromAccountRef', r.refundFrom),
      leaf('TxnDate', r.txnDate),
      leaf('RefNumber', r.refNumber),
      leaf('TotalAmount', r.totalAmount),
      leaf('Memo', r.memo),
      ...r.applied.map(
        (a): XmlNode => ({
          name: 'RefundAppliedToTxnRet',
          children: [leaf('TxnID', a.txnId), leaf('TxnType', 'CreditMemo'), leaf('TxnDate', a.txnDate), leaf('RefNumber', a.refNumber), leaf('CreditRemaining', a.creditRemaining), leaf('RefundAmount', a.refundAmount)],
        }),
      ),
    ],
  };
}

/** `currency`: the account's, given while Multiple Currencies is on (last but `DataExtRet` in the schema's order). */
export function accountRet(a: QbdAccount, currency?: QbdCurrency): XmlNode {
  return {
    name: 'AccountRet',
    children: [...listHeader(a), leaf('Name', a.name), leaf('FullName', a.name), leaf('IsActive', a.isActive), leaf('Sublevel', 0), leaf('AccountType', a.accountType), currency ? ref('CurrencyRef', currency.listId, currency.name) : null],
  };
}

export function depositRet(d: QbdDeposit, includeLines: boolean): XmlNode {
  return {
    name: 'DepositRet',
    children: [
      ...txnHeader(d),
      leaf('TxnDate', d.txnDate),
      accountRef('DepositToAccountRef', d.depositTo),
      leaf('Memo', d.memo),
      leaf('DepositTotal', d.depositTotal),
      ...(d.currency
        ? [ref('CurrencyRef', d.currency.listId, d.currency.fullName), leaf('ExchangeRate', d.currency.exchangeRate), leaf('DepositTotalInHomeCurrency', d.currency.totalInHome)]
        : []),
      d.cashBack
        ? { name: 'CashBackInfoRet', children: [leaf('TxnLineID', d.cashBack.txnLineId), accountRef('AccountRef', d.cashBack.account), leaf('Memo', d.cashBack.memo), leaf('Amount', d.cashBack.amount)] }
        : null,
      ...(includeLines
        ? d.lines.map(
            (l): XmlNode => ({
              name: 'DepositLineRet',
              children: [
                leaf('TxnLineID', l.txnLineId),
                l.entity ? ref('EntityRef', l.entity.listId, l.entity.fullName) : null,
                accountRef('AccountRef', l.account),
                leaf('Memo', l.memo),
                leaf('Amount', l.amount),
              ],
            }),
          )
        : []),
    ],
  };
}
