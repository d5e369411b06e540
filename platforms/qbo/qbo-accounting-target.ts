import type {
  AccountingTarget,
  BookedSaleQuery,
  LedgerCustomer,
  LedgerCustomerInput,
  LedgerDocumentRef,
  LedgerItem,
  LedgerSale,
  LedgerTaxCode,
  LedgerTaxSetup,
} from '../../domain/accounting-target.js';
import type { ConnectionProbe } from '../../domain/connection-probe.js';
import { fromCents, toCents } from '../../domain/money.js';
import { LedgerRejectedError } from '../../domain/platform-errors.js';
import type { QboClient, QboEntity } from './qbo-client.js';
import { ledgerRejection } from './qbo-error-translation.js';
import { QBO_LIMITS } from './qbo-limits.js';
import { qboQueryString } from './query-literal.js';
import { queryAll } from './query-pages.js';
import { noteAbsent, takeFreshAbsence } from './document-number-absence.js';
import { diagnoseReceiptReferences } from './reference-diagnosis.js';
import { toQboSalesReceipt } from './sales-receipt-payload.js';
import { cachedTaxSetup, forgetTaxSetup } from './company-tax-setup.js';

export interface QboAccountingTargetOptions {
  /** Scopes of the stored grant, reported by checkConnection; QBO itself cannot tell. */
  grantedScopes?: string[] | null;
  /** What company-level facts (tax setup) are cached under: integration and realm. Default: the realm. */
  cacheKey?: string;
}

/** Refusals that mean the company's tax setup is not what we read: read it again before the next attempt. */
function isTaxSetupRefusal(error: LedgerRejectedError): boolean {
  return error.code === '6100' || (error.code === '6000' && /have a .*rate before you save/i.test(`${error.message} ${error.detail}`));
}

const SKUS_PER_QUERY = 50;

function toLedgerItem(item: QboEntity): LedgerItem {
  return {
    id: String(item.Id),
    name: String(item.Name),
    sku: typeof item.Sku === 'string' && item.Sku !== '' ? item.Sku : null,
    active: item.Active !== false,
  };
}

function toDocumentRef(receipt: QboEntity): LedgerDocumentRef {
  return {
    id: String(receipt.Id),
    docNumber: String(receipt.DocNumber ?? ''),
    total: fromCents(toCents(Number(receipt.TotalAmt ?? 0))),
    kind: SALES_RECEIPT,
    // Our marker opens the private note of every receipt we book.
    marker: typeof receipt.PrivateNote === 'string' ? receipt.PrivateNote : null,
  };
}

function toCustomer(customer: QboEntity): LedgerCustomer {
  const email = (customer.PrimaryEmailAddr as { Address?: string } | undefined)?.Address;
  return { id: String(customer.Id), displayName: String(customer.DisplayName), email: email ?? null };
}

function refValue(ref: unknown): string | null {
  return ref && typeof ref === 'object' && 'value' in ref ? String((ref as { value: unknown }).value) : null;
}

/** What a sale becomes in QuickBooks Online. */
const SALES_RECEIPT = 'sales receipt';

/** QuickBooks Online as the ledger the engine books into: a sale is a sales receipt, marked as ours by its private note. */
export class QboAccountingTarget implements AccountingTarget {
  readonly limits = QBO_LIMITS;
  readonly documentKind = SALES_RECEIPT;

  constructor(
    private readonly client: QboClient,
    private readonly options: QboAccountingTargetOptions = {},
  ) {}

  /** By number only: the engine reads whose receipt it is from the private note. */
  async findBookedSale({ docNumber }: BookedSaleQuery): Promise<LedgerDocumentRef | null> {
    const found = await this.querySalesReceipt(docNumber);
    if (!found) noteAbsent(this.absenceKey(docNumber));
    return found;
  }

  async findCustomer(match: { email: string | null; displayName: string }): Promise<LedgerCustomer | null> {
    if (match.email) {
      const byEmail = await this.queryCustomers(`PrimaryEmailAddr = ${qboQueryString(match.email)}`);
      if (byEmail[0]) return toCustomer(byEmail[0]);
    }
    const byName = await this.queryCustomers(`DisplayName = ${qboQueryString(match.displayName)}`);
    return byName[0] ? toCustomer(byName[0]) : null;
  }

  async createCustomer(input: LedgerCustomerInput, idempotencyKey: string): Promise<LedgerCustomer> {
    const body: QboEntity = {
      DisplayName: input.displayName,
      ...(input.givenName ? { GivenName: input.givenName } : {}),
      ...(input.familyName ? { FamilyName: input.familyName } : {}),
      ...(input.email ? { PrimaryEmailAddr: { Address: input.email } } : {}),
      CurrencyRef: { value: input.currency },
    };
    try {
      return toCustomer(await this.client.create('customer', 'Customer', body, { idempotencyKey, subject: `customer '${input.displayName}'` }));
    } catch (error) {
      // 6240: the name is taken, e.g. by a customer created before a lost answer; adopt it if it is a customer.
      if (error instanceof LedgerRejectedError && error.code === '6240') {
        const existing = await this.queryCustomers(`DisplayName = ${qboQueryString(input.displayName)} AND Active IN (true, false)`);
        if (existing[0]) return toCustomer(existing[0]);
      }
      throw error;
    }
  }

  async findItemsBySku(skus: string[]): Promise<LedgerItem[]> {
    const found: LedgerItem[] = [];
    // Bounded IN lists keep each query short; most orders need one.
    for (let start = 0; start < skus.length; start += SKUS_PER_QUERY) {
      const list = skus.slice(start, start + SKUS_PER_QUERY).map(qboQueryString).join(', ');
      found.push(...(await queryAll(this.client, 'Item', `Sku IN (${list}) AND Active IN (true, false)`)).map(toLedgerItem));
    }
    return found;
  }

  async listItems(): Promise<LedgerItem[]> {
    return (await queryAll(this.client, 'Item', 'Active IN (true, false)')).map(toLedgerItem);
  }

  async listTaxCodes(): Promise<LedgerTaxCode[]> {
    const [codes, rates] = await Promise.all([
      queryAll(this.client, 'TaxCode', 'Active IN (true, false)'),
      queryAll(this.client, 'TaxRate', 'Active IN (true, false)'),
    ]);
    const rateById = new Map(rates.map((rate) => [String(rate.Id), Number(rate.RateValue ?? 0)]));
    return codes.map((code) => {
      const details = ((code.SalesTaxRateList as { TaxRateDetail?: QboEntity[] } | undefined)?.TaxRateDetail ?? []) as QboEntity[];
      const percent = details.reduce((sum, detail) => sum + (rateById.get(refValue(detail.TaxRateRef) ?? '') ?? 0), 0);
      return {
        id: String(code.Id),
        name: String(code.Name),
        ratePercent: Math.round(percent * 10_000) / 10_000,
        active: code.Active !== false,
      };
    });
  }

  taxSetup(): Promise<LedgerTaxSetup> {
    return cachedTaxSetup(this.cacheKey, this.client);
  }

  private get cacheKey(): string {
    return this.options.cacheKey ?? this.client.realmId;
  }

  /**
   * Books the receipt unless its number is already in the ledger. Every attempt is preceded by a lookup of
   * the number (or spends the fresh "absent" answer of the lookup just before it), so an answer lost after
   * the write, or a worker that died after it, never books twice — whatever QBO does with `requestid` and
   * even where the company allows duplicate document numbers.
   */
  async bookSale(receipt: LedgerSale, idempotencyKey: string): Promise<LedgerDocumentRef> {
    const subject = `sales receipt ${receipt.docNumber}`;
    if (!takeFreshAbsence(this.absenceKey(receipt.docNumber))) {
      const existing = await this.querySalesReceipt(receipt.docNumber);
      if (existing) return existing;
    }
    try {
      const payload = toQboSalesReceipt(receipt, await this.taxSetup());
      const created = await this.client.create('salesreceipt', 'SalesReceipt', payload, { idempotencyKey, subject });
      return toDocumentRef(created);
    } catch (error) {
      if (!(error instanceof LedgerRejectedError)) throw error;
      if (isTaxSetupRefusal(error)) forgetTaxSetup(this.cacheKey);
      // 6140: already booked (a lost answer, or another run): the existing receipt is the result.
      if (error.code === '6140') {
        const existing = await this.querySalesReceipt(receipt.docNumber);
        if (existing) return existing;
      }
      if (error.code === '610' || error.code === '2500') {
        const reason = await diagnoseReceiptReferences(this.client, receipt).catch(() => null);
        if (reason) throw ledgerRejection(error.code, subject, reason, error.detail);
      }
      throw error;
    }
  }

  async checkConnection(): Promise<ConnectionProbe> {
    const info = await this.client.companyInfo();
    return { accountName: String(info.CompanyName ?? info.LegalName ?? ''), grantedScopes: this.options.grantedScopes ?? null };
  }

  private async querySalesReceipt(docNumber: string): Promise<LedgerDocumentRef | null> {
    const result = await this.client.query(`select * from SalesReceipt where DocNumber = ${qboQueryString(docNumber)}`);
    const receipts = (result.SalesReceipt ?? []) as QboEntity[];
    return receipts[0] ? toDocumentRef(receipts[0]) : null;
  }

  private absenceKey(docNumber: string): string {
    return `${this.client.companyKey}|${docNumber}`;
  }

  private async queryCustomers(where: string): Promise<QboEntity[]> {
    const result = await this.client.query(`select * from Customer where ${where}`);
    return (result.Customer ?? []) as QboEntity[];
  }
}
