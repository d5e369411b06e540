import type { BookedRefundQuery, LedgerDocumentRef, LedgerRefund, LedgerTaxCode, LedgerTaxSetup } from '../../domain/accounting-target.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import type { QboClient, QboEntity } from './qbo-client.js';
import { qboQueryString } from './query-literal.js';
import { qboDocumentRef } from './document-ref.js';
import { toQboSalesReceipt } from './sales-receipt-payload.js';
import { diagnoseReceiptReferences, namingTheReference } from './reference-diagnosis.js';

/** What a refund becomes in QuickBooks Online. */
export const REFUND_RECEIPT = 'refund receipt';

function toRefundRef(receipt: QboEntity): LedgerDocumentRef {
  return qboDocumentRef(receipt, REFUND_RECEIPT);
}

/**
 * Refunds as QuickBooks Online refund receipts: the sale's lines, shipping and tax in the sales receipt's own form,
 * paid out of the account the sale's money went into (its DepositToAccountRef, Undeposited Funds by default), which
 * QBO requires on a refund receipt. Marked as ours by the private note, like the sales receipt.
 */
export class QboRefundReceipts {
  constructor(private readonly client: QboClient) {}

  async find({ docNumber }: BookedRefundQuery): Promise<LedgerDocumentRef | null> {
    const result = await this.client.query(`select * from RefundReceipt where DocNumber = ${qboQueryString(docNumber)}`, `refund receipt ${docNumber}`);
    const found = (result.RefundReceipt ?? []) as QboEntity[];
    return found[0] ? toRefundRef(found[0]) : null;
  }

  /** Looks its number up before every write; a 6140 (number taken) answers with the receipt that holds it. */
  async book(refund: LedgerRefund, idempotencyKey: string, setup: LedgerTaxSetup, taxCodes: LedgerTaxCode[] | null): Promise<LedgerDocumentRef> {
    const query = { docNumber: refund.docNumber, order: { id: '', name: '' }, refundId: refund.refundId, sale: refund.sale };
    const existing = await this.find(query);
    if (existing) return existing;
    const subject = `refund receipt ${refund.docNumber}`;
    const fromAccount = await this.refundFromAccount(refund.sale.id);
    const payload = { ...toQboSalesReceipt(refund, setup, taxCodes), DepositToAccountRef: { value: fromAccount } };
    try {
      return toRefundRef(await this.client.create('refundreceipt', 'RefundReceipt', payload, { idempotencyKey, subject }));
    } catch (error) {
      if (error instanceof LedgerRejectedError && error.code === '6140') {
        const holder = await this.find(query);
        if (holder) return holder;
      }
      // 610/2500 do not say what is inactive or missing: the sale's own diagnosis names it, and the refund-from account.
      throw await namingTheReference(error, subject, () => diagnoseReceiptReferences(this.client, refund, [fromAccount]));
    }
  }

  /** The account the sale's money went into; Undeposited Funds when the sale is not readable. */
  private async refundFromAccount(saleId: string): Promise<string> {
    const sale = await this.client.read('salesreceipt', 'SalesReceipt', saleId, 'the sales receipt being refunded').catch(() => null);
    const fromSale = (sale?.DepositToAccountRef as { value?: unknown } | undefined)?.value;
    if (fromSale !== undefined && fromSale !== null) return String(fromSale);
    const result = await this.client.query("select * from Account where AccountSubType = 'UndepositedFunds'", 'the Undeposited Funds account');
    const account = ((result.Account ?? []) as QboEntity[])[0];
    if (!account) {
      throw new LedgerRejectedError(
        'refund-account',
        'QuickBooks Online has no Undeposited Funds account to pay the refund out of: nothing was booked. Restore the account (or set one on the sales receipt), then retry.',
        `sales receipt ${saleId} has no DepositToAccountRef and no account has AccountSubType UndepositedFunds`,
      );
    }
    return String(account.Id);
  }
}
