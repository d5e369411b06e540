import type { EmulatorClock } from './clock.js';
import { qboTime } from './fault-bodies.js';
import {
  DEFAULT_PREFERENCES,
  type QboCompanyPreferences,
  type QboSeedAccount,
  type QboSeedCompany,
  type QboSeedCurrency,
  type QboSeedCustomer,
  type QboSeedItem,
  type QboSeedTaxCode,
} from './options.js';
import type { QboRecord } from './query-evaluation.js';

/** Where each kind of company the emulator plays is, as CompanyInfo shows it. */
const COMPANY_ADDRESSES: Record<string, QboRecord> = {
  US: { Line1: '123 Main Street', City: 'Mountain View', CountrySubDivisionCode: 'CA', PostalCode: '94042', Country: 'US' },
  GB: { Line1: '10 High Street', City: 'London', PostalCode: 'SW1A 1AA', Country: 'GB' },
  CA: { Line1: '100 King Street West', City: 'Toronto', CountrySubDivisionCode: 'ON', PostalCode: 'M5X 1A9', Country: 'CA' },
  AU: { Line1: '1 George Street', City: 'Sydney', CountrySubDivisionCode: 'NSW', PostalCode: '2000', Country: 'AU' },
};

/** A document the emulator wrote, kept so tests can count what reached the books. */
export interface CreatedDocument {
  entity: string;
  id: string;
  docNumber: string | null;
  requestId: string | null;
  createdAt: string;
  record: QboRecord;
}

export interface CachedResponse {
  status: number;
  body: unknown;
}

/** One QBO company (realm): its lists, its transactions and its requestid replay cache. */
export class QboCompany {
  readonly realmId: string;
  readonly companyName: string;
  readonly country: string;
  readonly homeCurrency: string;
  readonly preferences: QboCompanyPreferences;
  readonly documents: CreatedDocument[] = [];
  readonly replayCache = new Map<string, CachedResponse>();
  private readonly tables = new Map<string, Map<string, QboRecord>>();
  private readonly pendingEdits = new Map<string, QboRecord>();
  private nextId = 1;

  constructor(
    seed: QboSeedCompany,
    private readonly clock: EmulatorClock,
  ) {
    this.realmId = seed.realmId;
    this.companyName = seed.companyName;
    this.country = seed.country ?? 'US';
    this.homeCurrency = seed.homeCurrency ?? 'USD';
    this.preferences = { ...DEFAULT_PREFERENCES, ...seed.preferences };
    for (const item of seed.items ?? []) this.addItem(item);
    for (const taxCode of seed.taxCodes ?? []) this.addTaxCode(taxCode);
    for (const name of seed.otherNames?.vendors ?? []) this.insert('Vendor', { DisplayName: name, Active: true });
    for (const name of seed.otherNames?.employees ?? []) this.insert('Employee', { DisplayName: name, Active: true });
    // Every QuickBooks Online company has Undeposited Funds (where receipts go without DepositToAccountRef) and a
    // bank account; ids far above what a test allocates, so seeding them shifts no other id.
    this.insert('Account', { Id: '9004', Name: 'Undeposited Funds', FullyQualifiedName: 'Undeposited Funds', AccountType: 'Other Current Asset', AccountSubType: 'UndepositedFunds', Classification: 'Asset', Active: true, CurrencyRef: { value: this.homeCurrency } });
    // The income account seeded items already name (79), and a Cost of Goods Sold account: what a new company's
    // chart of accounts starts with, and what an item created through the API is posted to (FIDELITY.md, items).
    this.insert('Account', { Id: '79', Name: 'Sales of Product Income', FullyQualifiedName: 'Sales of Product Income', AccountType: 'Income', AccountSubType: 'SalesOfProductIncome', Classification: 'Revenue', Active: true, CurrencyRef: { value: this.homeCurrency } });
    this.insert('Account', { Id: '80', Name: 'Cost of Goods Sold', FullyQualifiedName: 'Cost of Goods Sold', AccountType: 'Cost of Goods Sold', AccountSubType: 'SuppliesMaterialsCogs', Classification: 'Expense', Active: true, CurrencyRef: { value: this.homeCurrency } });
    this.insert('Account', { Id: '9035', Name: 'Checking', FullyQualifiedName: 'Checking', AccountType: 'Bank', AccountSubType: 'Checking', Classification: 'Asset', Active: true, CurrencyRef: { value: this.homeCurrency } });
    for (const currency of seed.currencies ?? []) this.addCurrency(currency);
    for (const customer of seed.customers ?? []) {
      if (customer.currency && customer.currency !== this.homeCurrency && !this.all('CompanyCurrency').some((entry) => entry.Code === customer.currency)) {
        this.addCurrency({ code: customer.currency });
      }
      this.addCustomer(customer);
    }
    // After every other seed, so adding accounts shifts no item's, tax code's or customer's id.
    for (const account of seed.accounts ?? []) this.addAccount(account);
  }

  /** A foreign currency in the company's list, and the daily rates QuickBooks holds for it. */
  addCurrency(seed: QboSeedCurrency): QboRecord {
    // Ids far above what a test allocates (like the seeded accounts), so seeding currencies shifts no other id.
    for (const rate of seed.rates ?? []) {
      const Id = String(9500 + this.all('ExchangeRate').length);
      this.insert('ExchangeRate', { Id, SourceCurrencyCode: seed.code, TargetCurrencyCode: this.homeCurrency, Rate: rate.rate, AsOfDate: rate.asOfDate });
    }
    const Id = String(9100 + this.all('CompanyCurrency').length);
    return this.insert('CompanyCurrency', { Id, Code: seed.code, Name: seed.code, Active: seed.active ?? true });
  }

  /**
   * An account of the chart, e.g. a clearing account (Other Current Asset) or a fee account (Expense). `currency`: a
   * bank account's, in a multicurrency company (Intuit: a currency is assigned to bank and credit card accounts;
   * income and expense accounts always use the home currency); default the home currency. A foreign one joins the
   * currency list, as QuickBooks' account form adds it.
   */
  addAccount(account: QboSeedAccount): QboRecord {
    const classification = account.type === 'Income' ? 'Revenue' : account.type.endsWith('Expense') ? 'Expense' : 'Asset';
    const currency = account.currency ?? this.homeCurrency;
    if (currency !== this.homeCurrency) {
      if (account.type !== 'Bank') throw new Error(`emulator seed: only a bank account may be in a foreign currency, not ${account.type} "${account.name}"`);
      if (!this.preferences.multiCurrencyEnabled) throw new Error(`emulator seed: "${account.name}" in ${currency} needs multicurrency on`);
      if (!this.all('CompanyCurrency').some((entry) => entry.Code === currency)) this.addCurrency({ code: currency });
    }
    return this.insert('Account', {
      Name: account.name,
      FullyQualifiedName: account.name,
      AccountType: account.type,
      ...(account.subType ? { AccountSubType: account.subType } : {}),
      Classification: classification,
      Active: account.active ?? true,
      CurrencyRef: { value: currency },
    });
  }

  addCustomer(customer: QboSeedCustomer): QboRecord {
    return this.insert('Customer', {
      ...(customer.id ? { Id: customer.id } : {}),
      DisplayName: customer.displayName,
      GivenName: customer.givenName,
      FamilyName: customer.familyName,
      PrimaryEmailAddr: customer.email ? { Address: customer.email } : undefined,
      Active: customer.active ?? true,
      CurrencyRef: { value: customer.currency ?? this.homeCurrency },
    });
  }

  addItem(item: QboSeedItem): QboRecord {
    return this.insert('Item', {
      ...(item.id ? { Id: item.id } : {}),
      Name: item.name,
      FullyQualifiedName: item.name,
      Sku: item.sku ?? undefined,
      Type: item.type ?? 'NonInventory',
      Active: item.active ?? true,
      UnitPrice: item.unitPrice ?? 0,
      IncomeAccountRef: { value: '79', name: 'Sales of Product Income' },
    });
  }

  addTaxCode(seed: QboSeedTaxCode): QboRecord {
    const rates = seed.rates.map((rate) =>
      this.insert('TaxRate', {
        ...(rate.id ? { Id: rate.id } : {}),
        Name: rate.name,
        RateValue: rate.ratePercent,
        Active: true,
        AgencyRef: { value: '1' },
      }),
    );
    return this.insert('TaxCode', {
      ...(seed.id ? { Id: seed.id } : {}),
      Name: seed.name,
      Description: seed.name,
      Active: seed.active ?? true,
      Taxable: rates.length > 0,
      TaxGroup: rates.length > 1,
      SalesTaxRateList: {
        TaxRateDetail: rates.map((rate, index) => ({
          TaxRateRef: { value: rate.Id, name: rate.Name },
          TaxTypeApplicable: 'TaxOnAmount',
          TaxOrder: index,
        })),
      },
      PurchaseTaxRateList: { TaxRateDetail: [] },
    });
  }

  /** Stores a new entity with Id (unless seeded with one), SyncToken and MetaData, as QBO returns them. */
  insert(entity: string, fields: QboRecord): QboRecord {
    const id = typeof fields.Id === 'string' ? fields.Id : this.allocateId();
    const now = qboTime(this.clock.now());
    const record: QboRecord = JSON.parse(
      JSON.stringify({ ...fields, Id: id, SyncToken: '0', domain: 'QBO', sparse: false, MetaData: { CreateTime: now, LastUpdatedTime: now } }),
    );
    this.table(entity).set(id, record);
    return record;
  }

  /** Stores an updated record in place of the one with its Id. */
  replace(entity: string, record: QboRecord): void {
    this.table(entity).set(String(record.Id), record);
  }

  /**
   * An edit a bookkeeper makes in QuickBooks right after the next read of the record (the race a SyncToken guards
   * against): the read answers the record as it was, then the edit is saved and the SyncToken goes up.
   */
  editAfterNextRead(entity: string, id: string, fields: QboRecord): void {
    this.pendingEdits.set(`${entity}/${id}`, fields);
  }

  /** The record as a GET answers it, applying an edit waiting for that read afterwards. */
  readForAnswer(entity: string, id: string): QboRecord | undefined {
    const record = this.get(entity, id);
    if (!record) return undefined;
    const answer: QboRecord = JSON.parse(JSON.stringify(record));
    const edit = this.pendingEdits.get(`${entity}/${id}`);
    if (edit) {
      this.pendingEdits.delete(`${entity}/${id}`);
      Object.assign(record, edit);
      record.SyncToken = String(Number(record.SyncToken) + 1);
      (record.MetaData as QboRecord).LastUpdatedTime = qboTime(this.clock.now());
    }
    return answer;
  }

  recordDocument(entity: string, record: QboRecord, requestId: string | null): void {
    this.documents.push({
      entity,
      id: String(record.Id),
      docNumber: typeof record.DocNumber === 'string' ? record.DocNumber : null,
      requestId,
      createdAt: new Date(this.clock.now()).toISOString(),
      record,
    });
  }

  get(entity: string, id: string): QboRecord | undefined {
    return this.table(entity).get(id);
  }

  all(entity: string): QboRecord[] {
    return [...this.table(entity).values()];
  }

  setActive(entity: string, id: string, active: boolean): QboRecord | undefined {
    const record = this.get(entity, id);
    if (!record) return undefined;
    record.Active = active;
    record.SyncToken = String(Number(record.SyncToken) + 1);
    (record.MetaData as QboRecord).LastUpdatedTime = qboTime(this.clock.now());
    return record;
  }

  companyInfo(): QboRecord {
    return {
      Id: '1',
      SyncToken: '1',
      CompanyName: this.companyName,
      LegalName: this.companyName,
      Country: this.country,
      CompanyAddr: COMPANY_ADDRESSES[this.country] ?? { Line1: '1 Main Street', Country: this.country },
      SupportedLanguages: 'en',
      domain: 'QBO',
      sparse: false,
      MetaData: { CreateTime: '2024-01-01T00:00:00-08:00', LastUpdatedTime: qboTime(this.clock.now()) },
    };
  }

  preferencesRecord(): QboRecord {
    return {
      Id: '1',
      SyncToken: '0',
      SalesFormsPrefs: {
        CustomTxnNumbers: this.preferences.customTxnNumbers,
        AllowShipping: this.preferences.allowShipping,
        AllowDiscount: true,
        AllowDeposit: true,
      },
      CurrencyPrefs: { MultiCurrencyEnabled: this.preferences.multiCurrencyEnabled, HomeCurrency: { value: this.homeCurrency } },
      TaxPrefs: {
        UsingSalesTax: this.preferences.usingSalesTax,
        PartnerTaxEnabled: this.preferences.partnerTaxEnabled,
        ...(this.country === 'US' ? {} : { TaxInclusive: this.preferences.taxInclusiveDefault }),
      },
      domain: 'QBO',
      sparse: false,
      MetaData: { CreateTime: '2024-01-01T00:00:00-08:00', LastUpdatedTime: qboTime(this.clock.now()) },
    };
  }

  private allocateId(): string {
    for (;;) {
      const id = String(this.nextId++);
      if (![...this.tables.values()].some((table) => table.has(id))) return id;
    }
  }

  private table(entity: string): Map<string, QboRecord> {
    let table = this.tables.get(entity);
    if (!table) {
      table = new Map();
      this.tables.set(entity, table);
    }
    return table;
  }
}
