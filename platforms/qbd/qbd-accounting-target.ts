import type {
  AccountingTarget,
  BookedSaleQuery,
  LedgerCustomer,
  LedgerCustomerInput,
  LedgerDocumentRef,
  LedgerItem,
  LedgerLimits,
  LedgerSale,
  LedgerTaxCode,
  LedgerTaxSetup,
} from '../../domain/accounting-target.js';
import type { ConnectionProbe } from '../../domain/connection-probe.js';
import { DisplayNameTakenError, LedgerRejectedError, PlatformUnavailableError } from '../../domain/platform-errors.js';
import type { QbxmlResponse } from './qbxml-envelope.js';
import type { QbdRequestChannel } from './qbd-request-channel.js';
import { childNamed, childText, leaf, type XmlElement, type XmlNode } from './xml-tree.js';
import { fromMinor, minorUnitDigits, toMinor } from '../../domain/money.js';

/**
 * QuickBooks Desktop as a ledger, in qbXML 16.0 through the Web Connector (../shared/platforms/quickbooks-desktop.md):
 * a sale becomes a `SalesReceiptAdd` numbered with our RefNumber (≤ 11) and marked in `Memo`. QuickBooks Desktop
 * takes no idempotency key (§11): every booking asks `SalesReceiptQuery` by RefNumber first, in its own round trip,
 * so a receipt whose answer was lost is found, never added twice.
 *
 * Items have no SKU field: the SKU is the item's Name (§7, [S]). Sales tax is US-style: lines `Tax`/`Non`, one
 * `ItemSalesTax` giving the sale its rate.
 */

/** Limits from Intuit's qbXML 16.0 schema (emulators/qbd/schema-facts.json; emulators/qbd/FIDELITY.md). */
export const QBD_LIMITS: LedgerLimits = {
  docNumber: 11,
  internalNote: 4095,
  customerMemo: 4095,
  customerDisplayName: 41,
  personName: 25,
  email: 1023,
  lineDescription: 4095,
};

/** The item a sale's shipping is booked to: QuickBooks Desktop has no shipping field on a sales receipt line set. */
export const QBD_SHIPPING_ITEM = 'Shipping';

const NON_SALES_ITEMS = new Set(['ItemSalesTaxRet', 'ItemSalesTaxGroupRet', 'ItemSubtotalRet', 'ItemDiscountRet', 'ItemPaymentRet', 'ItemGroupRet']);

export interface QbdTargetOptions {
  channel: QbdRequestChannel;
  /** "QuickBooks Desktop #1". */
  name: string;
  /** Throws what health must show (no contact for hours, refused password, company file not open). */
  checkContact(): Promise<ConnectionProbe>;
}

export class QbdAccountingTarget implements AccountingTarget {
  readonly limits = QBD_LIMITS;
  readonly documentKind = 'sales receipt';

  constructor(private readonly options: QbdTargetOptions) {}

  private async one(request: XmlNode, action: string): Promise<QbxmlResponse> {
    const [response] = await this.options.channel.send([request]);
    if (!response) throw new PlatformUnavailableError(null, `${this.options.name} gave no answer to ${action}.`, 'empty qbXML response set');
    // 1: nothing matched; 500: some of the explicitly named records are not there (FIDELITY.md §3). Both are "none".
    if (response.statusCode === 0 || response.statusCode === 1 || response.statusCode === 500) return response;
    throw this.refusal(response, action);
  }

  private refusal(response: QbxmlResponse, action: string): Error {
    const detail = `${response.request} status ${response.statusCode} (${response.statusSeverity}): ${response.statusMessage}`;
    // Record or list locked by another user: worth trying again (§9).
    if ([1010, 3170, 3175, 3176].includes(response.statusCode)) {
      return new PlatformUnavailableError(null, `${this.options.name} was busy ${action}; it is tried again.`, detail);
    }
    return new LedgerRejectedError(`qbd-${response.statusCode}`, `${this.options.name} refused ${action}: ${response.statusMessage}`, detail);
  }

  async findBookedSale(query: BookedSaleQuery): Promise<LedgerDocumentRef | null> {
    const response = await this.one(
      { name: 'SalesReceiptQueryRq', children: [leaf('RefNumberCaseSensitive', query.docNumber)] },
      `the search for sales receipt ${query.docNumber}`,
    );
    const ret = response.rets.find((r) => r.local === 'SalesReceiptRet');
    return ret ? receiptRef(ret) : null;
  }

  async bookSale(sale: LedgerSale, _idempotencyKey: string): Promise<LedgerDocumentRef> {
    // No idempotency key in qbXML: the number is looked up right before every add (a lost answer's receipt is found).
    const existing = await this.findBookedSale({ docNumber: sale.docNumber, order: { id: null, name: sale.docNumber } });
    if (existing) return existing;
    const shippingItem = sale.shipping && Number(sale.shipping.amount) !== 0 ? await this.shippingItemId() : null;
    const response = await this.one({ name: 'SalesReceiptAddRq', children: [salesReceiptAdd(sale, shippingItem)] }, `sales receipt ${sale.docNumber}`);
    const ret = response.rets.find((r) => r.local === 'SalesReceiptRet');
    if (!ret) throw new PlatformUnavailableError(null, `${this.options.name} answered the booking of ${sale.docNumber} without the receipt.`, response.statusMessage);
    return receiptRef(ret);
  }

  private async shippingItemId(): Promise<string> {
    const items = await this.listItems();
    const item = items.find((i) => i.name.toLowerCase() === QBD_SHIPPING_ITEM.toLowerCase() && i.active);
    if (!item) {
      throw new LedgerRejectedError(
        'qbd-shipping-item',
        `${this.options.name} has no active item named "${QBD_SHIPPING_ITEM}" to book the order's shipping to: add a service or other charge item named "${QBD_SHIPPING_ITEM}".`,
        'ItemQuery found no Shipping item',
      );
    }
    return item.id;
  }

  async findCustomer(match: { email: string | null; displayName: string; currency?: string }): Promise<LedgerCustomer | null> {
    const response = await this.one({ name: 'CustomerQueryRq', children: [leaf('ActiveStatus', 'All')] }, 'the customer search');
    const customers = response.rets.filter((r) => r.local === 'CustomerRet').map(customerOf);
    const email = match.email?.toLowerCase();
    return (
      (email ? customers.find((c) => c.email?.toLowerCase() === email) : undefined) ??
      customers.find((c) => c.displayName.toLowerCase() === match.displayName.toLowerCase()) ??
      null
    );
  }

  async createCustomer(input: LedgerCustomerInput, _idempotencyKey: string): Promise<LedgerCustomer> {
    const [response] = await this.options.channel.send([
      {
        name: 'CustomerAddRq',
        children: [
          {
            name: 'CustomerAdd',
            children: [leaf('Name', input.displayName), leaf('FirstName', input.givenName), leaf('LastName', input.familyName), leaf('Email', input.email)],
          },
        ],
      },
    ]);
    if (!response) throw new PlatformUnavailableError(null, `${this.options.name} gave no answer to the new customer.`, 'empty qbXML response set');
    if (response.statusCode === 3100) {
      throw new DisplayNameTakenError('qbd-3100', `${this.options.name} keeps the name "${input.displayName}" for another name.`, response.statusMessage);
    }
    if (response.statusCode !== 0) throw this.refusal(response, `customer "${input.displayName}"`);
    return customerOf(response.rets.find((r) => r.local === 'CustomerRet')!);
  }

  async findItemsBySku(skus: string[]): Promise<LedgerItem[]> {
    const wanted = new Set(skus.map((s) => s.toLowerCase()));
    return (await this.listItems()).filter((i) => wanted.has(i.name.toLowerCase()));
  }

  async listItems(): Promise<LedgerItem[]> {
    const response = await this.one({ name: 'ItemQueryRq', children: [leaf('ActiveStatus', 'All')] }, 'the item list');
    return response.rets
      .filter((r) => !NON_SALES_ITEMS.has(r.local))
      .map((r) => {
        const name = childText(r, 'FullName') ?? childText(r, 'Name') ?? '';
        return { id: childText(r, 'ListID') ?? '', name, sku: name, active: childText(r, 'IsActive') !== 'false' };
      });
  }

  /** The sales tax items: each gives a sale its rate (`ItemSalesTaxRef`), the `per-sale` code of the engine. */
  async listTaxCodes(): Promise<LedgerTaxCode[]> {
    const response = await this.one({ name: 'ItemSalesTaxQueryRq', children: [leaf('ActiveStatus', 'All')] }, 'the sales tax items');
    return response.rets
      .filter((r) => r.local === 'ItemSalesTaxRet')
      .map((r) => ({ id: childText(r, 'ListID') ?? '', name: childText(r, 'Name') ?? '', ratePercent: Number(childText(r, 'TaxRate') ?? '0'), active: childText(r, 'IsActive') !== 'false' }));
  }

  async taxSetup(): Promise<LedgerTaxSetup> {
    const response = await this.one({ name: 'PreferencesQueryRq', children: [leaf('IncludeRetElement', 'SalesTaxPreferences')] }, 'the company preferences');
    const preferences = response.rets.find((r) => r.local === 'PreferencesRet');
    return { mode: preferences && childNamed(preferences, 'SalesTaxPreferences') ? 'per-sale' : 'off', country: 'US' };
  }

  checkConnection(): Promise<ConnectionProbe> {
    return this.options.checkContact();
  }
}

/** The `SalesReceiptAdd` aggregate, in the schema's element order. Discounts come off their lines (amount net). */
export function salesReceiptAdd(sale: LedgerSale, shippingItemId: string | null): XmlNode {
  const taxCode = (taxable: boolean | undefined) => (taxable === undefined ? null : { name: 'SalesTaxCodeRef', children: [leaf('FullName', taxable ? 'Tax' : 'Non')] });
  const lines: XmlNode[] = sale.lines.map((line) => ({
    name: 'SalesReceiptLineAdd',
    children: [
      { name: 'ItemRef', children: [leaf('ListID', line.itemId)] },
      leaf('Desc', line.description),
      leaf('Quantity', line.quantity),
      leaf('Amount', money(toMinor(line.amount, sale.currency) - toMinor(line.discount ?? '0', sale.currency), sale.currency)),
      taxCode(line.taxable),
    ],
  }));
  if (sale.shipping && shippingItemId) {
    lines.push({
      name: 'SalesReceiptLineAdd',
      children: [{ name: 'ItemRef', children: [leaf('ListID', shippingItemId)] }, leaf('Desc', 'Shipping'), leaf('Amount', money(toMinor(sale.shipping.amount, sale.currency), sale.currency)), taxCode(sale.shipping.taxable ?? false)],
    });
  }
  return {
    name: 'SalesReceiptAdd',
    children: [
      { name: 'CustomerRef', children: [leaf('ListID', sale.customerId)] },
      leaf('TxnDate', sale.date),
      leaf('RefNumber', sale.docNumber),
      sale.saleTaxCodeId ? { name: 'ItemSalesTaxRef', children: [leaf('ListID', sale.saleTaxCodeId)] } : null,
      leaf('Memo', sale.internalNote),
      sale.taxesIncluded ? leaf('IsTaxIncluded', true) : null,
      ...lines,
    ],
  };
}

/** qbXML AMTTYPE: the amount in its currency's minor units, written with at least two decimals as the SDK's samples do [U for 3]. */
function money(minor: number, currency: string): string {
  const text = fromMinor(minor, currency);
  return minorUnitDigits(currency) >= 2 ? text : Number(text).toFixed(2);
}

function receiptRef(ret: XmlElement): LedgerDocumentRef {
  return {
    id: childText(ret, 'TxnID') ?? '',
    docNumber: childText(ret, 'RefNumber') ?? '',
    total: childText(ret, 'TotalAmount') ?? '0.00',
    kind: 'sales receipt',
    marker: childText(ret, 'Memo') ?? null,
  };
}

function customerOf(ret: XmlElement): LedgerCustomer {
  return { id: childText(ret, 'ListID') ?? '', displayName: childText(ret, 'FullName') ?? childText(ret, 'Name') ?? '', email: childText(ret, 'Email') ?? null };
}
