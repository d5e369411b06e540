import OAuthClient from 'intuit-oauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerSale } from '../domain/accounting-target.js';
import { startQboEmulator, type QboEmulatorOptions, type RunningQboEmulator } from '../emulators/qbo/emulator.js';
import { findSchemaViolations } from '../emulators/qbo/entity-schema-check.js';
import { FIELD_LENGTHS, maxLengthFor } from '../emulators/qbo/field-lengths.js';
import { documentedQboMaxLength, QBO_SCHEMA } from '../emulators/qbo/schema-facts.js';
import { QBO_LIMITS } from '../platforms/qbo/qbo-limits.js';
import { toQboSalesReceipt } from '../platforms/qbo/sales-receipt-payload.js';

/**
 * The QBO emulator refuses what Intuit's published schema (XSD facts in emulators/qbo/schema-facts.json) and the
 * documented field lengths refuse, with the Fault QBO sends; and the product's own limits and payloads fit them.
 */

const REALM = '9130000000000001';
const CLIENT = { clientId: 'schema-client', clientSecret: 'schema-secret' };
const REDIRECT_URI = 'http://127.0.0.1:1/qbo/callback';

interface Connected {
  emulator: RunningQboEmulator;
  token: string;
}

function seed(extra: Partial<QboEmulatorOptions> = {}): QboEmulatorOptions {
  return {
    ...CLIENT,
    rateLimits: { perSecond: 10_000, perMinute: 100_000 },
    companies: [
      {
        realmId: REALM,
        companyName: 'Schema Books Ltd',
        items: [{ id: '11', name: 'Widget', sku: 'WID-1', unitPrice: 10 }],
        taxCodes: [{ id: '21', name: 'Standard', rates: [{ id: '31', name: 'VAT', ratePercent: 20 }] }],
        customers: [{ id: '41', displayName: 'Jane Doe', email: 'jane@example.com' }],
      },
    ],
    ...extra,
  };
}

async function connect(options: QboEmulatorOptions): Promise<Connected> {
  const emulator = await startQboEmulator(options);
  const client = new OAuthClient({ ...CLIENT, environment: 'sandbox', redirectUri: REDIRECT_URI });
  client.setAuthorizeURLs({
    authorizeEndpoint: emulator.urls.authorizeEndpoint,
    tokenEndpoint: emulator.urls.tokenEndpoint,
    revokeEndpoint: emulator.urls.revokeEndpoint,
    userInfoEndpoint: emulator.urls.userInfoEndpoint,
  });
  emulator.control.authorizeAs(REALM);
  const consent = await fetch(client.authorizeUri({ scope: [OAuthClient.scopes.Accounting], state: 's' }), { redirect: 'manual' });
  await client.createToken(consent.headers.get('location')!);
  return { emulator, token: client.getToken().access_token };
}

async function call(target: Connected, path: string, body?: unknown) {
  const response = await fetch(`${target.emulator.origin}/v3/company/${REALM}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${target.token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

function receipt(overrides: Record<string, unknown> = {}, line: Record<string, unknown> = {}, detail: Record<string, unknown> = {}) {
  return {
    DocNumber: `S-${Math.random().toString(36).slice(2, 10)}`,
    CustomerRef: { value: '41' },
    Line: [
      {
        DetailType: 'SalesItemLineDetail',
        Amount: 20,
        Description: 'Widget',
        SalesItemLineDetail: { ItemRef: { value: '11' }, Qty: 2, UnitPrice: 10, ...detail },
        ...line,
      },
    ],
    ...overrides,
  };
}

function firstError(json: Record<string, any>) {
  return json.Fault.Error[0] as { Message: string; Detail: string; code: string; element: string };
}

let api: Connected;
let strictNames: Connected;

beforeAll(async () => {
  // One at a time: intuit-oauth's endpoint URLs are process-wide.
  api = await connect(seed());
  strictNames = await connect(seed({ fieldLengths: 'xsd-documentation' }));
});

afterAll(async () => {
  await Promise.all([api?.emulator.close(), strictNames?.emulator.close()]);
});

async function expectRefused(target: Connected, entity: string, body: unknown, code: string, detail: RegExp) {
  const before = target.emulator.control.documents(REALM).length;
  const { status, json } = await call(target, `/${entity}?minorversion=75`, body);
  expect(status).toBe(400);
  expect(json.Fault.type).toBe('ValidationFault');
  const error = firstError(json);
  expect(error.code).toBe(code);
  expect(error.Detail).toMatch(detail);
  // A refused create writes nothing.
  expect(target.emulator.control.documents(REALM).length).toBe(before);
  return error;
}

describe('schema facts derived from Intuit’s XSDs', () => {
  it('name their source and hold every entity ledgerbridge sends or reads', () => {
    expect(QBO_SCHEMA.source.repository).toBe('intuit/QuickBooks-V3-Java-SDK');
    expect(QBO_SCHEMA.source.commit).toMatch(/^[0-9a-f]{40}$/);
    for (const name of ['SalesReceipt', 'Line', 'SalesItemLineDetail', 'DiscountLineDetail', 'Customer', 'Item', 'TaxCode', 'TaxRate', 'CompanyInfo', 'Preferences', 'Fault', 'Error']) {
      expect(QBO_SCHEMA.complexTypes[name], name).toBeDefined();
    }
    expect(QBO_SCHEMA.simpleTypes.GlobalTaxCalculationEnum?.enumeration).toEqual(['TaxInclusive', 'TaxExcluded', 'NotApplicable']);
  });

  it('agree with the emulator’s length table wherever the XSD documentation states a QBO length', () => {
    const typeOf: Record<string, string> = { 'Line[].Description': 'Line', 'CustomerMemo.value': 'SalesTransaction', 'PrimaryEmailAddr.Address': 'EmailAddress' };
    for (const [entity, fields] of Object.entries(FIELD_LENGTHS)) {
      for (const field of fields) {
        const typeName = typeOf[field.path] ?? entity;
        const fieldName = field.path === 'CustomerMemo.value' ? 'CustomerMemo' : field.path.split('.').pop()!.replace('[]', '');
        const stated =
          field.path === 'CustomerMemo.value'
            ? documentedQboMaxLength('SalesReceipt', 'CustomerMemo')
            : documentedQboMaxLength(typeName === 'SalesTransaction' ? 'SalesReceipt' : typeName, fieldName);
        if (stated.length === 0) continue;
        expect(stated, `${entity}.${field.path}`).toContain(maxLengthFor(field, 'xsd-documentation'));
      }
    }
  });

  it('leave the product’s QBO limits within every source’s maximum', () => {
    const strictest = (entity: keyof typeof FIELD_LENGTHS, path: string) => {
      const field = FIELD_LENGTHS[entity].find((f) => f.path === path)!;
      return Math.min(maxLengthFor(field, 'api-reference'), maxLengthFor(field, 'xsd-documentation'));
    };
    expect(QBO_LIMITS.docNumber).toBe(strictest('SalesReceipt', 'DocNumber'));
    expect(QBO_LIMITS.internalNote).toBe(strictest('SalesReceipt', 'PrivateNote'));
    expect(QBO_LIMITS.customerMemo).toBe(strictest('SalesReceipt', 'CustomerMemo.value'));
    expect(QBO_LIMITS.lineDescription).toBe(strictest('SalesReceipt', 'Line[].Description'));
    expect(QBO_LIMITS.customerDisplayName).toBe(strictest('Customer', 'DisplayName'));
    expect(QBO_LIMITS.email).toBe(strictest('Customer', 'PrimaryEmailAddr.Address'));
    expect(QBO_LIMITS.personName).toBe(Math.min(strictest('Customer', 'GivenName'), strictest('Customer', 'FamilyName')));
  });

  it('accept the sales receipt and customer bodies the product sends', () => {
    const payload = toQboSalesReceipt({
      docNumber: '1001',
      date: '2026-11-29',
      currency: 'USD',
      customerId: '41',
      taxesIncluded: false,
      lines: [{ itemId: '11', description: 'Widget', quantity: 2, unitPrice: '10.00', amount: '20.00', taxCodeId: '21' }],
      discount: '2.00',
      shipping: { amount: '5.00', taxCodeId: null },
      totalTax: '4.00',
      total: '27.00',
      marker: 'Shopify order #1001',
      internalNote: 'Shopify order #1001',
      customerMemo: 'Thanks',
    } as LedgerSale, { mode: 'per-line', country: 'GB' });
    expect(findSchemaViolations('SalesReceipt', payload)).toEqual([]);
    const customer = { DisplayName: 'Sam Lee', GivenName: 'Sam', FamilyName: 'Lee', PrimaryEmailAddr: { Address: 'sam@example.com' }, CurrencyRef: { value: 'USD' } };
    expect(findSchemaViolations('Customer', customer)).toEqual([]);
  });
});

describe('QBO emulator refuses what QBO’s JSON reader refuses (2010, 2170, 2020)', () => {
  it('refuses an unknown property on the receipt, on a line and inside a line detail, naming it', async () => {
    const top = await expectRefused(api, 'salesreceipt', receipt({ TotalTaxAmount: 4 }), '2010', /Unrecognized field "TotalTaxAmount" \(class com\.intuit\.schema\.finance\.v3\.SalesReceipt\)/);
    expect(top.Message).toBe('Request has invalid or unsupported property');
    await expectRefused(api, 'salesreceipt', receipt({}, { TaxCodeRef: { value: '21' } }), '2010', /Unrecognized field "TaxCodeRef" \(class com\.intuit\.schema\.finance\.v3\.Line\)/);
    await expectRefused(api, 'salesreceipt', receipt({}, {}, { TaxCode: 'TAX' }), '2010', /Unrecognized field "TaxCode" \(class com\.intuit\.schema\.finance\.v3\.SalesItemLineDetail\)/);
    await expectRefused(api, 'salesreceipt', receipt({ TxnTaxDetail: { TotalTax: 1, TaxTotal: 1 } }), '2010', /Unrecognized field "TaxTotal"/);
  });

  it('refuses an unknown property on a customer and on an item', async () => {
    await expectRefused(api, 'customer', { DisplayName: 'Ann Bell', Email: 'ann@example.com' }, '2010', /Unrecognized field "Email" \(class com\.intuit\.schema\.finance\.v3\.Customer\)/);
    await expectRefused(api, 'item', { Name: 'Gizmo', Price: 3 }, '2010', /Unrecognized field "Price" \(class com\.intuit\.schema\.finance\.v3\.Item\)/);
  });

  it('refuses values of the wrong type', async () => {
    await expectRefused(api, 'salesreceipt', receipt({}, { Amount: 'twenty' }), '2010', /java\.math\.BigDecimal/);
    await expectRefused(api, 'salesreceipt', receipt({ CustomerRef: '41' }), '2010', /ReferenceType/);
    await expectRefused(api, 'salesreceipt', receipt({ Line: { DetailType: 'SalesItemLineDetail', Amount: 1 } }), '2010', /java\.util\.List/);
    await expectRefused(api, 'salesreceipt', receipt({ TxnDate: 'yesterday' }), '2010', /java\.util\.Date/);
    await expectRefused(api, 'salesreceipt', receipt({}, {}, { Qty: true }), '2010', /java\.math\.BigDecimal/);
    await expectRefused(api, 'customer', { DisplayName: 'Ann Bell', Active: 'yes' }, '2010', /java\.lang\.Boolean/);
  });

  it('refuses a value outside an enumeration with 2170', async () => {
    const error = await expectRefused(api, 'salesreceipt', receipt({ GlobalTaxCalculation: 'Inclusive' }), '2170', /Invalid Enumeration : Inclusive/);
    expect(error.element).toBe('GlobalTaxCalculation');
    await expectRefused(api, 'item', { Name: 'Gizmo', Type: 'Physical' }, '2170', /Invalid Enumeration : Physical/);
  });

  it('refuses a line without DetailType with 2020', async () => {
    const error = await expectRefused(api, 'salesreceipt', receipt({}, { DetailType: undefined }), '2020', /Required parameter Line\[0\]\.DetailType is missing/);
    expect(error.Message).toBe('Required param missing, need to supply the required value for the API');
  });

  it('accepts numbers sent as numeric strings, as QBO’s reader does', async () => {
    const { status, json } = await call(api, '/salesreceipt', receipt({}, { Amount: '20.00' }, { Qty: '2', UnitPrice: '10' }));
    expect(status).toBe(200);
    expect(json.SalesReceipt.Id).toBeTruthy();
  });
});

describe('QBO emulator refuses strings over the documented length with 2050', () => {
  const over = (n: number) => 'x'.repeat(n + 1);
  const exactly = (n: number) => 'y'.repeat(n);

  it('on the sales receipt fields we send, and accepts them at the limit', async () => {
    const docNumber = await expectRefused(api, 'salesreceipt', receipt({ DocNumber: over(21) }), '2050', /Min:0 Max:21 supported\. Supplied length:22/);
    expect(docNumber.element).toBe('DocNumber');
    expect(docNumber.Message).toBe('String length is either shorter or longer than supported by specification');
    await expectRefused(api, 'salesreceipt', receipt({ PrivateNote: over(4000) }), '2050', /Max:4000 supported/);
    await expectRefused(api, 'salesreceipt', receipt({ CustomerMemo: { value: over(1000) } }), '2050', /Max:1000 supported/);
    await expectRefused(api, 'salesreceipt', receipt({ PaymentRefNum: over(21) }), '2050', /Max:21 supported/);
    const line = await expectRefused(api, 'salesreceipt', receipt({}, { Description: over(4000) }), '2050', /Max:4000 supported/);
    expect(line.element).toBe('Line[0].Description');

    const atLimit = receipt({ DocNumber: exactly(21), PrivateNote: exactly(4000), CustomerMemo: { value: exactly(1000) }, PaymentRefNum: exactly(21) }, { Description: exactly(4000) });
    expect((await call(api, '/salesreceipt', atLimit)).status).toBe(200);
  });

  it('on customers and items', async () => {
    await expectRefused(api, 'customer', { DisplayName: over(500) }, '2050', /Max:500 supported/);
    await expectRefused(api, 'customer', { DisplayName: 'Long Given', GivenName: over(100) }, '2050', /Max:100 supported/);
    await expectRefused(api, 'customer', { DisplayName: 'Long Family', FamilyName: over(100) }, '2050', /Max:100 supported/);
    await expectRefused(api, 'customer', { DisplayName: 'Long Mail', PrimaryEmailAddr: { Address: over(100) } }, '2050', /Max:100 supported/);
    await expectRefused(api, 'item', { Name: over(100) }, '2050', /Max:100 supported/);
    await expectRefused(api, 'item', { Name: 'Long sku', Sku: over(100) }, '2050', /Max:100 supported/);
    const fits = { DisplayName: exactly(500), GivenName: exactly(100), FamilyName: exactly(100), PrimaryEmailAddr: { Address: exactly(100) } };
    expect((await call(api, '/customer', fits)).status).toBe(200);
  });

  it('plays the XSD documentation’s shorter person names (given 25, family 15) when asked, and the product fits them', async () => {
    await expectRefused(strictNames, 'customer', { DisplayName: 'Strict A', GivenName: over(25) }, '2050', /Max:25 supported/);
    await expectRefused(strictNames, 'customer', { DisplayName: 'Strict B', FamilyName: over(15) }, '2050', /Max:15 supported/);
    const product = { DisplayName: 'Strict C', GivenName: exactly(QBO_LIMITS.personName), FamilyName: exactly(QBO_LIMITS.personName) };
    expect((await call(strictNames, '/customer', product)).status).toBe(200);
    expect((await call(api, '/customer', { ...product, DisplayName: 'Strict D' })).status).toBe(200);
  });
});

describe('what the QBO emulator answers matches Intuit’s schema', () => {
  it('CompanyInfo, Preferences, list entities, created documents and Faults use only the XSD’s fields', async () => {
    const info = await call(api, `/companyinfo/${REALM}`);
    expect(findSchemaViolations('CompanyInfo', info.json.CompanyInfo)).toEqual([]);
    const preferences = await call(api, '/preferences');
    expect(findSchemaViolations('Preferences', preferences.json.Preferences)).toEqual([]);
    for (const entity of ['Customer', 'Item', 'TaxCode', 'TaxRate']) {
      const rows = (await call(api, `/query?query=${encodeURIComponent(`select * from ${entity}`)}`)).json.QueryResponse[entity] as unknown[];
      expect(rows.length, entity).toBeGreaterThan(0);
      for (const row of rows) expect(findSchemaViolations(entity, row), entity).toEqual([]);
    }
    const created = await call(api, '/salesreceipt', receipt());
    expect(findSchemaViolations('SalesReceipt', created.json.SalesReceipt)).toEqual([]);

    const refused = await call(api, '/salesreceipt', receipt({ DocNumber: over(21) }));
    const errorFields = QBO_SCHEMA.complexTypes.Error!.fields.map((f) => f.name);
    for (const error of refused.json.Fault.Error as Record<string, unknown>[]) {
      expect(Object.keys(error).every((key) => errorFields.includes(key))).toBe(true);
      expect(error.code).toMatch(/^\d+$/);
    }
    expect(QBO_SCHEMA.complexTypes.Fault!.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['Error', 'type']));
  });
});

function over(n: number): string {
  return 'x'.repeat(n + 1);
}

describe('QBO emulator books refund receipts as QBO does (RefundReceipt: XSD facts + API reference)', () => {
  const UNDEPOSITED_FUNDS = '9004';
  const refund = (overrides: Record<string, unknown> = {}) => receipt({ DepositToAccountRef: { value: UNDEPOSITED_FUNDS }, ...overrides });

  it('holds RefundReceipt and Account in the derived facts, a sales form like the sales receipt', () => {
    expect(QBO_SCHEMA.complexTypes.RefundReceipt?.extends).toContain('SalesTransaction');
    expect(QBO_SCHEMA.complexTypes.RefundReceipt?.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['DepositToAccountRef', 'Line', 'DocNumber', 'PrivateNote']));
    expect(QBO_SCHEMA.simpleTypes.AccountTypeEnum?.enumeration).toEqual(expect.arrayContaining(['Bank', 'Other Current Asset', 'Income']));
  });

  it('refuses a refund receipt without DepositToAccountRef (2020), with an unknown account (2500), or a property RefundReceipt lacks (2010)', async () => {
    const missing = await expectRefused(api, 'refundreceipt', receipt(), '2020', /Required parameter DepositToAccountRef is missing/);
    expect(missing.element).toBe('DepositToAccountRef');
    await expectRefused(api, 'refundreceipt', refund({ DepositToAccountRef: { value: '7777' } }), '2500', /Account 7777 does not exist/);
    await expectRefused(api, 'refundreceipt', refund({ RefundFromAccountRef: { value: UNDEPOSITED_FUNDS } }), '2010', /Unrecognized field "RefundFromAccountRef" \(class com\.intuit\.schema\.finance\.v3\.RefundReceipt\)/);
    await expectRefused(api, 'refundreceipt', refund({ PrivateNote: 'x'.repeat(4001) }), '2050', /Max:4000 supported/);
  });

  it('creates one paid out of Undeposited Funds, finds it by DocNumber, and refuses its number twice (6140, Refund Receipt)', async () => {
    const docNumber = `R-${Math.random().toString(36).slice(2, 8)}`;
    const created = await call(api, '/refundreceipt?minorversion=75', refund({ DocNumber: docNumber }));
    expect(created.status).toBe(200);
    expect(created.json.RefundReceipt).toMatchObject({ DocNumber: docNumber, TotalAmt: 20, DepositToAccountRef: { value: UNDEPOSITED_FUNDS } });
    expect(findSchemaViolations('RefundReceipt', created.json.RefundReceipt)).toEqual([]);
    const found = await call(api, `/query?query=${encodeURIComponent(`select * from RefundReceipt where DocNumber = '${docNumber}'`)}`);
    expect(found.json.QueryResponse.RefundReceipt.map((r: { Id: string }) => r.Id)).toEqual([created.json.RefundReceipt.Id]);
    const twice = await call(api, '/refundreceipt', refund({ DocNumber: docNumber }));
    expect(twice.status).toBe(400);
    expect(firstError(twice.json)).toMatchObject({ code: '6140', Detail: expect.stringContaining('TxnType=Refund Receipt') });
    const accounts = await call(api, `/query?query=${encodeURIComponent("select * from Account where AccountSubType = 'UndepositedFunds'")}`);
    expect(accounts.json.QueryResponse.Account.map((a: { Id: string; AccountType: string }) => [a.Id, a.AccountType])).toEqual([[UNDEPOSITED_FUNDS, 'Other Current Asset']]);
  });
});

describe('QBO emulator books deposits as QBO does (Deposit: XSD facts + API reference)', () => {
  const CHECKING = '9035';
  let clearing: string;
  let fees: string;
  beforeAll(() => {
    clearing = String(api.emulator.control.addAccount(REALM, { name: 'Shopify Clearing', type: 'Other Current Asset' }).Id);
    fees = String(api.emulator.control.addAccount(REALM, { name: 'Shopify Fees', type: 'Expense' }).Id);
  });
  const deposit = (overrides: Record<string, unknown> = {}, lines?: unknown[]) => ({
    DocNumber: `PO-${Math.random().toString(36).slice(2, 10)}`,
    DepositToAccountRef: { value: CHECKING },
    Line: lines ?? [
      { DetailType: 'DepositLineDetail', Amount: 50, Description: 'Order #1: payment', DepositLineDetail: { AccountRef: { value: clearing } } },
      { DetailType: 'DepositLineDetail', Amount: -1.75, Description: 'Fees', DepositLineDetail: { AccountRef: { value: fees } } },
    ],
    ...overrides,
  });

  it('knows Deposit from the XSD: a Transaction whose DepositToAccountRef is "Required for the create operation", lines with DepositLineDetail.AccountRef', () => {
    expect(QBO_SCHEMA.complexTypes.Deposit?.extends).toContain('Transaction');
    const target = QBO_SCHEMA.complexTypes.Deposit?.fields.find((f) => f.name === 'DepositToAccountRef');
    expect(target?.declaredIn).toBe('Deposit');
    expect(QBO_SCHEMA.complexTypes.DepositLineDetail?.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['AccountRef', 'Entity', 'PaymentMethodRef']));
    expect(QBO_SCHEMA.simpleTypes.LineDetailTypeEnum?.enumeration).toContain('DepositLineDetail');
  });

  it('refuses a deposit without DepositToAccountRef (2020), into Undeposited Funds (6000), a line with neither LinkedTxn nor AccountRef (2020), a negative total (6000), an unknown property (2010)', async () => {
    await expectRefused(api, 'deposit', deposit({ DepositToAccountRef: undefined }), '2020', /Required parameter DepositToAccountRef is missing/);
    await expectRefused(api, 'deposit', deposit({ DepositToAccountRef: { value: '9004' } }), '6000', /Undeposited Funds cannot take a deposit/);
    await expectRefused(api, 'deposit', deposit({}, [{ DetailType: 'DepositLineDetail', Amount: 5, DepositLineDetail: {} }]), '2020', /Line\.DepositLineDetail\.AccountRef is missing/);
    await expectRefused(api, 'deposit', deposit({}, [{ DetailType: 'DepositLineDetail', Amount: 5, DepositLineDetail: { AccountRef: { value: '9004' } } }]), '6000', /link the payments/);
    await expectRefused(api, 'deposit', deposit({}, [{ DetailType: 'DepositLineDetail', Amount: -5, DepositLineDetail: { AccountRef: { value: fees } } }]), '6000', /cannot be negative/);
    await expectRefused(api, 'deposit', deposit({ DepositFromAccountRef: { value: clearing } }), '2010', /Unrecognized field "DepositFromAccountRef" \(class com\.intuit\.schema\.finance\.v3\.Deposit\)/);
    await expectRefused(api, 'deposit', deposit({}, [{ DetailType: 'DepositLineDetail', Amount: 5, LinkedTxn: [{ TxnId: '999999', TxnType: 'SalesReceipt' }] }]), '2500', /SalesReceipt 999999 does not exist/);
  });

  it('creates one with its total computed from the lines (fees negative), finds it by DocNumber', async () => {
    const body = deposit({ TotalAmt: 1 });
    const created = await call(api, '/deposit?minorversion=75', body);
    expect(created.status).toBe(200);
    expect(created.json.Deposit).toMatchObject({ DocNumber: body.DocNumber, TotalAmt: 48.25, DepositToAccountRef: { value: CHECKING } });
    expect(findSchemaViolations('Deposit', created.json.Deposit)).toEqual([]);
    const found = await call(api, `/query?query=${encodeURIComponent(`select * from Deposit where DocNumber = '${body.DocNumber}'`)}`);
    expect(found.json.QueryResponse.Deposit.map((d: { Id: string }) => d.Id)).toEqual([created.json.Deposit.Id]);
  });
});
