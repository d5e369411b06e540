import { BankTransaction, type Item, type LineItem } from 'xero-node';
import type { LedgerDocumentRef, LedgerRefund, LedgerTaxSetup } from '../../domain/accounting-target.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import { xeroIdempotencyKey } from './idempotency-key.js';
import { bankTransactionRef, findBankTransaction } from './receive-money-booking.js';
import { SPEND_MONEY, type XeroRefundBooking } from './refund-booking.js';
import type { SaleAccounts } from './sale-invoice-payload.js';
import { receiveMoneyReference } from './sale-receive-money-payload.js';
import { saleLineAmountTypes, saleLines } from './sale-lines.js';
import type { StatedTaxRates } from './stated-line-tax.js';
import type { XeroApi } from './xero-api.js';
import { whereString } from './where-literal.js';

const CODES_PER_QUERY = 20;

/**
 * A refund of a sale booked as receive money: one AUTHORISED spend-money transaction out of the same bank account,
 * the refunded lines on the accounts the sale's lines went to. A spend line naming an item takes the item's
 * purchase account [S], so each line names its item's sales account itself. Numbered like receive money (the
 * Reference opens with "1001-R1 "), found by that before every write; the Idempotency-Key backs it up.
 */
export class SpendMoneyBooking implements XeroRefundBooking {
  readonly kind = SPEND_MONEY;

  constructor(
    private readonly api: XeroApi,
    private readonly accounts: SaleAccounts,
  ) {}

  async find(docNumber: string): Promise<LedgerDocumentRef | null> {
    const found = await findBankTransaction(this.api, 'SPEND', docNumber);
    return found ? bankTransactionRef(found, docNumber, SPEND_MONEY) : null;
  }

  async book(refund: LedgerRefund, setup: LedgerTaxSetup, idempotencyKey: string, rates: StatedTaxRates): Promise<LedgerDocumentRef> {
    const existing = await this.find(refund.docNumber);
    if (existing) return existing;
    const payload: BankTransaction = {
      type: BankTransaction.TypeEnum.SPEND,
      contact: { contactID: refund.customerId },
      bankAccount: { code: this.accounts.paymentAccountCode },
      date: refund.date,
      reference: receiveMoneyReference(refund.docNumber, refund.marker),
      currencyCode: refund.currency as unknown as BankTransaction['currencyCode'],
      status: BankTransaction.StatusEnum.AUTHORISED,
      lineAmountTypes: saleLineAmountTypes(refund, setup),
      lineItems: await this.onSalesAccounts(saleLines(refund, this.accounts.shippingAccountCode, 'folded', rates), refund.docNumber),
    };
    const key = xeroIdempotencyKey(`spend:${idempotencyKey}`, payload);
    const body = await this.api.call(`the money paid back for refund ${refund.docNumber}`, (api, tenant) =>
      api.createBankTransactions(tenant, { bankTransactions: [payload] }, undefined, undefined, key),
    );
    return bankTransactionRef(body.bankTransactions![0]!, refund.docNumber, SPEND_MONEY);
  }

  /** Each item line with its item's sales account, as the sale's receive money booked it. */
  private async onSalesAccounts(lines: LineItem[], docNumber: string): Promise<LineItem[]> {
    const codes = [...new Set(lines.flatMap((line) => (line.itemCode && !line.accountCode ? [line.itemCode] : [])))];
    const items: Item[] = [];
    for (let start = 0; start < codes.length; start += CODES_PER_QUERY) {
      const where = codes.slice(start, start + CODES_PER_QUERY).map((code) => `Code==${whereString(code)}`).join(' OR ');
      const body = await this.api.call('an item lookup', (api, tenant) => api.getItems(tenant, undefined, where));
      items.push(...(body.items ?? []));
    }
    return lines.map((line) => {
      if (!line.itemCode || line.accountCode) return line;
      const accountCode = items.find((item) => item.code === line.itemCode)?.salesDetails?.accountCode;
      if (!accountCode) {
        throw new LedgerRejectedError(
          'item-without-sales-account',
          `Refund ${docNumber} was not booked: Xero item ${line.itemCode} has no sales account, so ledgerbridge cannot tell which account its refund comes off. Give the item a sales account in Xero; the refund then books.`,
          `GET /Items where Code=="${line.itemCode}": no SalesDetails.AccountCode`,
        );
      }
      return { ...line, accountCode };
    });
  }
}
