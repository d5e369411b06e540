import { randomUUID } from 'node:crypto';
import type { EmulatorClock } from './clock.js';
import type { XeroCurrencyVariants, XeroSeedAccount, XeroSeedContact, XeroSeedItem, XeroSeedOrganisation, XeroSeedTaxRate } from './options.js';
import { msDate } from './wire-format.js';

export type XeroRecord = Record<string, unknown>;

/** The first answer to an Idempotency-Key, kept for replays. */
export interface IdempotentAnswer {
  bodyHash: string;
  status: number;
  body: unknown;
  atMs: number;
}

const GB_TAX_RATES: XeroSeedTaxRate[] = [
  { name: '20% (VAT on Income)', taxType: 'OUTPUT2', ratePercent: 20 },
  { name: '5% (VAT on Income)', taxType: 'RROUTPUT', ratePercent: 5 },
  { name: 'Zero Rated Income', taxType: 'ZERORATEDOUTPUT', ratePercent: 0 },
  { name: 'Exempt Income', taxType: 'EXEMPTOUTPUT', ratePercent: 0 },
  { name: 'No VAT', taxType: 'NONE', ratePercent: 0 },
  { name: '20% (VAT on Expenses)', taxType: 'INPUT2', ratePercent: 20, canApplyToRevenue: false },
];

/** The chart an organisation starts with when its seed names none. */
export const DEFAULT_ACCOUNTS: XeroSeedAccount[] = [
  { code: '090', name: 'Business Bank Account', type: 'BANK', bankAccountNumber: '12345678' },
  { code: '200', name: 'Sales', type: 'REVENUE', taxType: 'OUTPUT2' },
  { code: '260', name: 'Other Revenue', type: 'REVENUE', taxType: 'OUTPUT2' },
  { code: '400', name: 'Advertising', type: 'EXPENSE', taxType: 'INPUT2' },
];

/** One Xero organisation (tenant): its settings and the records the API reads and writes, in wire format. */
export class XeroOrganisation {
  readonly tenantId: string;
  readonly name: string;
  readonly countryCode: string;
  readonly baseCurrency: string;
  /** GET /Currencies: the base currency and those added, each with the day's rate (foreign units per base unit). */
  readonly currencies: XeroRecord[] = [];
  readonly multiCurrencyPlan: boolean;
  readonly paysTax: boolean;
  readonly isDemoCompany: boolean;
  readonly createdMs: number;
  readonly taxRates: XeroRecord[] = [];
  readonly accounts: XeroRecord[] = [];
  readonly items: XeroRecord[] = [];
  readonly contacts: XeroRecord[] = [];
  readonly invoices: XeroRecord[] = [];
  readonly payments: XeroRecord[] = [];
  readonly bankTransactions: XeroRecord[] = [];
  readonly bankTransfers: XeroRecord[] = [];
  readonly creditNotes: XeroRecord[] = [];
  readonly idempotency = new Map<string, IdempotentAnswer>();
  /** What this organisation plays where Xero's handling of currencies is unconfirmed (options.ts). */
  readonly currencyVariants: XeroCurrencyVariants;
  private invoiceSeq = 0;
  private creditNoteSeq = 0;

  constructor(
    seed: XeroSeedOrganisation,
    private readonly clock: EmulatorClock,
  ) {
    this.tenantId = seed.tenantId;
    this.name = seed.name;
    this.countryCode = seed.countryCode ?? 'GB';
    this.baseCurrency = seed.baseCurrency ?? 'GBP';
    this.multiCurrencyPlan = seed.multiCurrencyPlan ?? true;
    this.currencyVariants = { crossCurrencyTransfers: 'refused', bankTransactionCurrency: 'refused', ...seed.currencyVariants };
    this.addCurrency({ code: this.baseCurrency });
    for (const currency of seed.currencies ?? []) this.addCurrency(currency);
    this.paysTax = seed.paysTax ?? true;
    this.isDemoCompany = seed.isDemoCompany ?? false;
    this.createdMs = clock.now();
    for (const rate of seed.taxRates ?? GB_TAX_RATES) this.addTaxRate(rate);
    for (const account of seed.accounts ?? DEFAULT_ACCOUNTS) this.addAccount(account);
    for (const item of seed.items ?? []) this.addItem(item);
    for (const contact of seed.contacts ?? []) this.addContact(contact);
  }

  addCurrency(seed: { code: string; rate?: number }): XeroRecord {
    const record: XeroRecord = { Code: seed.code, Description: currencyDescription(seed.code), ...(seed.rate !== undefined ? { rate: seed.rate } : {}) };
    this.currencies.push(record);
    return record;
  }

  get nowMs(): number {
    return this.clock.now();
  }

  addTaxRate(seed: XeroSeedTaxRate): XeroRecord {
    const revenue = seed.canApplyToRevenue ?? true;
    const record: XeroRecord = {
      Name: seed.name,
      TaxType: seed.taxType,
      TaxComponents: [{ Name: seed.name.replace(/\s*\(.*\)$/, '') || seed.name, Rate: seed.ratePercent, IsCompound: false, IsNonRecoverable: false }],
      Status: seed.status ?? 'ACTIVE',
      ReportTaxType: revenue ? 'OUTPUT' : 'INPUT',
      CanApplyToAssets: !revenue,
      CanApplyToEquity: !revenue,
      CanApplyToExpenses: !revenue,
      CanApplyToLiabilities: !revenue,
      CanApplyToRevenue: revenue,
      DisplayTaxRate: seed.ratePercent,
      EffectiveRate: seed.ratePercent,
    };
    this.taxRates.push(record);
    return record;
  }

  addAccount(seed: XeroSeedAccount): XeroRecord {
    const record: XeroRecord = {
      AccountID: randomUUID(),
      Code: seed.code,
      Name: seed.name,
      Status: seed.status ?? 'ACTIVE',
      Type: seed.type,
      TaxType: seed.taxType ?? 'NONE',
      Class: seed.type === 'BANK' || seed.type === 'CURRENT' ? 'ASSET' : seed.type === 'EXPENSE' ? 'EXPENSE' : seed.type === 'CURRLIAB' ? 'LIABILITY' : seed.type === 'EQUITY' ? 'EQUITY' : 'REVENUE',
      EnablePaymentsToAccount: seed.enablePaymentsToAccount ?? false,
      ShowInExpenseClaims: false,
      ReportingCode: seed.type === 'BANK' ? 'ASS' : 'REV',
      HasAttachments: false,
      UpdatedDateUTC: msDate(this.clock.now()),
      AddToWatchlist: false,
      ...(seed.type === 'BANK' ? { BankAccountNumber: seed.bankAccountNumber ?? '00000000', BankAccountType: 'BANK', CurrencyCode: seed.currencyCode ?? this.baseCurrency } : {}),
    };
    this.accounts.push(record);
    return record;
  }

  addItem(seed: XeroSeedItem): XeroRecord {
    const record: XeroRecord = {
      ItemID: randomUUID(),
      Code: seed.code,
      Name: seed.name,
      Description: seed.description ?? seed.name,
      IsSold: seed.isSold ?? true,
      IsPurchased: false,
      IsTrackedAsInventory: false,
      SalesDetails: {
        ...(seed.unitPrice !== undefined ? { UnitPrice: seed.unitPrice } : {}),
        ...(seed.salesAccountCode ? { AccountCode: seed.salesAccountCode } : {}),
        ...(seed.salesTaxType ? { TaxType: seed.salesTaxType } : {}),
      },
      UpdatedDateUTC: msDate(this.clock.now()),
    };
    this.items.push(record);
    return record;
  }

  addContact(seed: XeroSeedContact): XeroRecord {
    return this.insertContact({
      Name: seed.name,
      ...(seed.firstName ? { FirstName: seed.firstName } : {}),
      ...(seed.lastName ? { LastName: seed.lastName } : {}),
      ...(seed.email ? { EmailAddress: seed.email } : {}),
      ...(seed.contactNumber ? { ContactNumber: seed.contactNumber } : {}),
      ContactStatus: seed.status ?? 'ACTIVE',
    });
  }

  insertContact(fields: XeroRecord): XeroRecord {
    const record: XeroRecord = {
      ContactID: randomUUID(),
      ContactStatus: 'ACTIVE',
      ...fields,
      Addresses: [],
      Phones: [],
      IsSupplier: false,
      IsCustomer: false,
      HasAttachments: false,
      HasValidationErrors: false,
      UpdatedDateUTC: msDate(this.clock.now()),
    };
    this.contacts.push(record);
    return record;
  }

  nextInvoiceNumber(): string {
    for (;;) {
      const candidate = `INV-${String(++this.invoiceSeq).padStart(4, '0')}`;
      if (!this.invoices.some((invoice) => invoice.Type === 'ACCREC' && sameText(invoice.InvoiceNumber, candidate))) return candidate;
    }
  }

  /** Xero's default credit note numbering ("CN-0001") [S: Invoice Settings' credit note prefix]. */
  nextCreditNoteNumber(): string {
    for (;;) {
      const candidate = `CN-${String(++this.creditNoteSeq).padStart(4, '0')}`;
      if (!this.creditNotes.some((note) => sameText(note.CreditNoteNumber, candidate))) return candidate;
    }
  }

  creditNoteById(id: string): XeroRecord | undefined {
    return this.creditNotes.find((note) => note.CreditNoteID === id);
  }

  taxRate(taxType: string): XeroRecord | undefined {
    return this.taxRates.find((rate) => rate.TaxType === taxType);
  }

  account(ref: { Code?: unknown; AccountID?: unknown }): XeroRecord | undefined {
    if (typeof ref.AccountID === 'string') return this.accounts.find((account) => account.AccountID === ref.AccountID);
    if (typeof ref.Code === 'string') return this.accounts.find((account) => sameText(account.Code, ref.Code));
    return undefined;
  }

  item(code: string): XeroRecord | undefined {
    return this.items.find((item) => sameText(item.Code, code));
  }

  contactById(id: string): XeroRecord | undefined {
    return this.contacts.find((contact) => contact.ContactID === id);
  }

  invoiceById(id: string): XeroRecord | undefined {
    return this.invoices.find((invoice) => invoice.InvoiceID === id);
  }

  /** The whole organisation as GET /Organisation answers it. */
  organisationRecord(): XeroRecord {
    return {
      OrganisationID: this.tenantId,
      APIKey: '',
      Name: this.name,
      LegalName: this.name,
      PaysTax: this.paysTax,
      Version: this.countryCode === 'US' ? 'US' : this.countryCode === 'GB' ? 'UK' : this.countryCode,
      OrganisationType: 'COMPANY',
      BaseCurrency: this.baseCurrency,
      CountryCode: this.countryCode,
      IsDemoCompany: this.isDemoCompany,
      OrganisationStatus: 'ACTIVE',
      FinancialYearEndDay: 31,
      FinancialYearEndMonth: 3,
      SalesTaxBasis: this.countryCode === 'GB' ? 'ACCRUALS' : 'ACCRUALS',
      SalesTaxPeriod: 'QUARTERLY1',
      DefaultSalesTax: 'Tax Exclusive',
      DefaultPurchasesTax: 'Tax Exclusive',
      CreatedDateUTC: msDate(this.createdMs),
      OrganisationEntityType: 'COMPANY',
      Timezone: 'GMTSTANDARDTIME',
      ShortCode: `!${this.tenantId.replace(/[^A-Za-z0-9]/g, '').slice(0, 5)}`,
      Edition: 'BUSINESS',
      Class: 'PREMIUM',
      Addresses: [],
      Phones: [],
      ExternalLinks: [],
      PaymentTerms: {},
    };
  }
}

/** Xero compares codes and numbers without regard to case. */
export function sameText(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();
}

function currencyDescription(code: string): string {
  try {
    return new Intl.DisplayNames('en', { type: 'currency' }).of(code) ?? code;
  } catch {
    return code;
  }
}
