import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as xero from 'xero-node';
import { startXeroEmulator, type RunningXeroEmulator } from '../emulators/xero/emulator.js';

const ORG = 'bbbbbbbb-0000-4000-8000-000000000001';
const OTHER = 'bbbbbbbb-0000-4000-8000-000000000002';
const REDIRECT = 'http://127.0.0.1:1/cb';
const BASIC = `Basic ${Buffer.from('c-id:c-secret').toString('base64')}`;
/** Envelope fields Xero sends around every collection (shared/platforms/xero.md §4) that the SDK's models do not declare. */
const ENVELOPE = new Set(['Id', 'Status', 'ProviderName', 'DateTimeUTC']);

let emulator: RunningXeroEmulator;
let api: string;

async function tokens(tenantIds = [ORG]): Promise<{ access_token: string; refresh_token: string }> {
  emulator.control.authorizeAs(tenantIds);
  const authorize = new URL(emulator.urls.authorizationEndpoint);
  authorize.search = new URLSearchParams({ response_type: 'code', client_id: 'c-id', redirect_uri: REDIRECT, scope: 'offline_access accounting.transactions', state: 's' }).toString();
  const code = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
  const response = await fetch(emulator.urls.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
  });
  return (await response.json()) as { access_token: string; refresh_token: string };
}

async function call(token: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': ORG, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json: json as Record<string, unknown> };
}

// --- the SDK's own models, read from node_modules at test time ---

type AttributeType = { name: string; baseName: string; type: string };
const sdk = xero as unknown as Record<string, unknown>;

function modelOf(type: string): AttributeType[] | null {
  const model = sdk[type] as { attributeTypeMap?: AttributeType[] } | undefined;
  return model?.attributeTypeMap ?? null;
}

function enumValues(type: string): string[] | null {
  const [owner, member] = type.split('.');
  const holder = member ? (sdk[owner!] as Record<string, unknown> | undefined)?.[member] : sdk[owner!];
  if (!holder || typeof holder !== 'object' || modelOf(type)) return null;
  return Object.values(holder as Record<string, unknown>).map(String);
}

/** Every field of `value` must be declared by the SDK's model `type`, with a value of the declared type. */
function problemsAgainstModel(value: unknown, type: string, path: string, allowExtra: Set<string> = new Set()): string[] {
  if (value === null || value === undefined) return [];
  if (type.startsWith('Array<')) {
    const inner = type.slice(6, -1);
    return Array.isArray(value) ? value.flatMap((entry, i) => problemsAgainstModel(entry, inner, `${path}[${i}]`)) : [`${path}: expected an array (${type})`];
  }
  if (type === 'string') return typeof value === 'string' ? [] : [`${path}: expected string, got ${typeof value}`];
  if (type === 'number') return typeof value === 'number' ? [] : [`${path}: expected number, got ${typeof value}`];
  if (type === 'boolean') return typeof value === 'boolean' ? [] : [`${path}: expected boolean, got ${typeof value}`];
  if (type === 'Date') return typeof value === 'string' && (/^\/Date\(-?\d+([+-]\d{4})?\)\/$/.test(value) || !Number.isNaN(Date.parse(value))) ? [] : [`${path}: not a date: ${String(value)}`];
  const values = enumValues(type);
  if (values) return values.includes(String(value)) ? [] : [`${path}: ${String(value)} is not a ${type}`];
  const attributes = modelOf(type);
  if (!attributes) return [`${path}: the SDK has no type ${type}`];
  if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object (${type})`];
  const byBaseName = new Map(attributes.map((a) => [a.baseName, a]));
  return Object.entries(value as Record<string, unknown>).flatMap(([key, field]) => {
    if (allowExtra.has(key)) return [];
    const attribute = byBaseName.get(key);
    if (!attribute) return [`${path}.${key}: not a field of ${type}`];
    return problemsAgainstModel(field, attribute.type, `${path}.${key}`);
  });
}

function expectSdkReads(json: unknown, type: string): void {
  expect(problemsAgainstModel(json, type, type, ENVELOPE)).toEqual([]);
  const read = (xero.ObjectSerializer as unknown as { deserialize(data: unknown, type: string): unknown }).deserialize(json, type);
  expect(read).toBeInstanceOf(sdk[type] as new () => unknown);
}

beforeAll(async () => {
  emulator = await startXeroEmulator({
    clientId: 'c-id',
    clientSecret: 'c-secret',
    // The minute limit is covered in xero-emulator-limits.test.ts; here it would only throttle the test itself.
    rateLimits: { perMinute: 100_000 },
    organisations: [
      {
        tenantId: ORG,
        name: 'Books Ltd',
        items: [{ code: 'SKU-1', name: 'Widget', salesAccountCode: '200', salesTaxType: 'OUTPUT2', unitPrice: 10 }, { code: 'BARE', name: 'No account' }],
        contacts: [{ name: 'Jane Doe', email: 'jane@example.com', contactNumber: 'shop-1' }],
      },
      { tenantId: OTHER, name: 'Other Ltd' },
    ],
  });
  api = emulator.urls.accountingApiBasePath;
});

afterAll(async () => {
  await emulator?.close();
});

describe('Xero emulator: answers xero-node can read', () => {
  it('every response type fits the SDK model classes (attributeTypeMap) and ObjectSerializer', async () => {
    const { access_token: token } = await tokens();
    const contactId = emulator.control.contacts(ORG)[0]!.ContactID as string;
    const invoice = await call(token, 'PUT', '/Invoices', {
      Invoices: [
        {
          Type: 'ACCREC', Contact: { ContactID: contactId }, Date: '2026-11-20', DueDate: '2026-11-20', InvoiceNumber: 'S-1', Reference: 'ref',
          Status: 'AUTHORISED', LineAmountTypes: 'Exclusive', LineItems: [{ ItemCode: 'SKU-1', Quantity: 2, UnitAmount: 10, DiscountAmount: 1 }],
        },
      ],
    });
    expect(invoice.status).toBe(200);
    const invoiceId = (invoice.json.Invoices as Array<Record<string, unknown>>)[0]!.InvoiceID as string;
    const payment = await call(token, 'PUT', '/Payments', { Payments: [{ Invoice: { InvoiceID: invoiceId }, Account: { Code: '090' }, Date: '2026-11-20', Amount: 5 }] });
    const receive = await call(token, 'PUT', '/BankTransactions', {
      BankTransactions: [{ Type: 'RECEIVE', Contact: { ContactID: contactId }, BankAccount: { Code: '090' }, LineAmountTypes: 'Inclusive', LineItems: [{ Description: 'Sale', Quantity: 1, UnitAmount: 12, AccountCode: '200', TaxType: 'OUTPUT2' }] }],
    });
    const credit = await call(token, 'PUT', '/CreditNotes', {
      CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, Date: '2026-11-21', CreditNoteNumber: 'S-1-R1', Reference: 'ref', Status: 'AUTHORISED', LineAmountTypes: 'Exclusive', LineItems: [{ ItemCode: 'SKU-1', Quantity: 1, UnitAmount: 10 }] }],
    });
    expect(credit.status).toBe(200);
    const creditNoteId = (credit.json.CreditNotes as Array<Record<string, unknown>>)[0]!.CreditNoteID as string;
    const refundPayment = await call(token, 'PUT', '/Payments', { Payments: [{ CreditNote: { CreditNoteID: creditNoteId }, Account: { Code: '090' }, Date: '2026-11-21', Amount: 4 }] });
    expect(refundPayment.status).toBe(200);
    const spend = await call(token, 'PUT', '/BankTransactions', {
      BankTransactions: [{ Type: 'SPEND', Contact: { ContactID: contactId }, BankAccount: { Code: '090' }, LineItems: [{ Description: 'Refund', Quantity: 1, UnitAmount: 12, AccountCode: '200', TaxType: 'OUTPUT2' }] }],
    });
    expect(spend.status).toBe(200);
    const contact = await call(token, 'PUT', '/Contacts', { Contacts: [{ Name: 'New Person', EmailAddress: 'new@example.com' }] });
    const refused = await call(token, 'PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, InvoiceNumber: 'S-1', DueDate: '2026-11-20', Status: 'AUTHORISED', LineItems: [{ ItemCode: 'SKU-1' }] }] });
    expect(refused.status).toBe(400);
    const unsummarised = await call(token, 'PUT', '/Invoices?summarizeErrors=false', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, InvoiceNumber: 'S-1', Status: 'DRAFT' }] });
    expect(unsummarised.status).toBe(200);

    expectSdkReads(invoice.json, 'Invoices');
    expectSdkReads(unsummarised.json, 'Invoices');
    expectSdkReads(payment.json, 'Payments');
    expectSdkReads(receive.json, 'BankTransactions');
    expectSdkReads(contact.json, 'Contacts');
    expectSdkReads(credit.json, 'CreditNotes');
    expectSdkReads(refundPayment.json, 'Payments');
    expectSdkReads(spend.json, 'BankTransactions');
    for (const [path, type] of [['/Organisation', 'Organisations'], ['/Contacts', 'Contacts'], ['/Items', 'Items'], ['/TaxRates', 'TaxRates'], ['/Accounts', 'Accounts'], ['/Invoices', 'Invoices'], ['/CreditNotes', 'CreditNotes'], ['/Payments', 'Payments'], ['/BankTransactions', 'BankTransactions']] as const) {
      const answer = await call(token, 'GET', path);
      expect(answer.status).toBe(200);
      expectSdkReads(answer.json, type);
    }
    // A ValidationException: the error fits the SDK's ModelError, each echoed element the entity's own model.
    const { Elements, ...error } = refused.json;
    expectSdkReads(error, 'ModelError');
    expect(problemsAgainstModel(Elements, 'Array<Invoice>', 'Elements')).toEqual([]);
  });
});

describe('Xero emulator: what Xero refuses', () => {
  it('keeps a sales credit note as credit that a refund payment uses up, refusing more than is left, discounts and spend lines without an account', async () => {
    const { access_token: token } = await tokens();
    const contactId = emulator.control.contacts(ORG)[0]!.ContactID as string;
    const note = async (lines: unknown[], status = 'AUTHORISED') => call(token, 'PUT', '/CreditNotes', { CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, Status: status, LineItems: lines }] });
    const discounted = await note([{ ItemCode: 'SKU-1', Quantity: 2, UnitAmount: 10, DiscountAmount: 1 }]);
    expect(discounted.status).toBe(400);
    expect(JSON.stringify(discounted.json)).toContain('Discounts can only be applied to sales invoices (ACCREC).');
    const draft = ((await note([{ ItemCode: 'SKU-1', Quantity: 1, UnitAmount: 10 }], 'DRAFT')).json.CreditNotes as Array<Record<string, unknown>>)[0]!;
    const pay = (creditNoteId: unknown, Amount: number) => call(token, 'PUT', '/Payments', { Payments: [{ CreditNote: { CreditNoteID: creditNoteId }, Account: { Code: '090' }, Date: '2026-11-21', Amount }] });
    expect(JSON.stringify((await pay(draft.CreditNoteID, 1)).json)).toContain('Payments can only be made against Authorised documents.');
    const authorised = ((await note([{ ItemCode: 'SKU-1', Quantity: 1, UnitAmount: 10, TaxType: 'OUTPUT2' }])).json.CreditNotes as Array<Record<string, unknown>>)[0]!;
    expect(authorised).toMatchObject({ Total: 12, RemainingCredit: 12, Status: 'AUTHORISED', CreditNoteNumber: expect.stringMatching(/^CN-\d{4}$/) });
    expect(JSON.stringify((await pay(authorised.CreditNoteID, 12.01)).json)).toContain('exceeds the amount outstanding');
    expect((await pay(authorised.CreditNoteID, 12)).json.Payments).toMatchObject([{ PaymentType: 'ARCREDITPAYMENT', Amount: 12 }]);
    expect(emulator.control.creditNotes(ORG).find((n) => n.CreditNoteID === authorised.CreditNoteID)).toMatchObject({ RemainingCredit: 0, Status: 'PAID' });
    // Spend money by item takes the item's purchase account: an item sold only has none.
    const spend = await call(token, 'PUT', '/BankTransactions', { BankTransactions: [{ Type: 'SPEND', Contact: { ContactID: contactId }, BankAccount: { Code: '090' }, LineItems: [{ ItemCode: 'SKU-1', Quantity: 1, UnitAmount: 10 }] }] });
    expect(spend.status).toBe(400);
    expect(JSON.stringify(spend.json)).toContain("Account code '' is not a valid code for this document.");
  });

  it('computes totals from its own rates, rounded per line, for Exclusive, Inclusive and NoTax', async () => {
    const { access_token: token } = await tokens();
    const contactId = emulator.control.contacts(ORG)[0]!.ContactID as string;
    const make = async (number: string, types: string) =>
      ((await call(token, 'PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, InvoiceNumber: number, LineAmountTypes: types, LineItems: [{ Description: 'a', Quantity: 3, UnitAmount: 3.33, AccountCode: '200', TaxType: 'OUTPUT2' }, { Description: 'b', Quantity: 1, UnitAmount: 0.05, AccountCode: '200', TaxType: 'OUTPUT2' }] }] })).json.Invoices as Array<Record<string, unknown>>)[0]!;
    expect(await make('T-EX', 'Exclusive')).toMatchObject({ SubTotal: 10.04, TotalTax: 2.01, Total: 12.05 });
    expect(await make('T-IN', 'Inclusive')).toMatchObject({ SubTotal: 8.36, TotalTax: 1.68, Total: 10.04 });
    expect(await make('T-NO', 'NoTax')).toMatchObject({ SubTotal: 10.04, TotalTax: 0, Total: 10.04 });
    // Xero's own example ("Rounding in Xero"): three lines at 15 % give 11.44 of tax, not 11.45 on the sum.
    emulator.control.addTaxRate(ORG, { name: 'GST 15%', taxType: 'OUTPUT15', ratePercent: 15 });
    const lines = [25.06, 25.61, 25.63].map((UnitAmount) => ({ Description: 'p', Quantity: 1, UnitAmount, AccountCode: '200', TaxType: 'OUTPUT15' }));
    const example = await call(token, 'PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, LineAmountTypes: 'Exclusive', LineItems: lines }] });
    expect((example.json.Invoices as Array<Record<string, unknown>>)[0]).toMatchObject({ SubTotal: 76.3, TotalTax: 11.44, Total: 87.74 });
    // Unit prices are read to 2 decimals, or 4 with unitdp=4.
    const precise = [{ Description: 'p', Quantity: 1000, UnitAmount: 0.061171, AccountCode: '200', TaxType: 'OUTPUT2' }];
    const two = await call(token, 'PUT', '/Invoices', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, LineItems: precise }] });
    const four = await call(token, 'PUT', '/Invoices?unitdp=4', { Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, LineItems: precise }] });
    expect((two.json.Invoices as Array<Record<string, unknown>>)[0]!.SubTotal).toBe(60);
    expect((four.json.Invoices as Array<Record<string, unknown>>)[0]!.SubTotal).toBe(61.2);
  });

  it('refuses a duplicate invoice number, bad references, over-long text and an overpayment with ValidationException', async () => {
    const { access_token: token } = await tokens();
    const contactId = emulator.control.contacts(ORG)[0]!.ContactID as string;
    const base = { Type: 'ACCREC', Contact: { ContactID: contactId }, DueDate: '2026-11-20', Status: 'AUTHORISED' };
    const messages = async (body: unknown, path = '/Invoices') => {
      const answer = await call(token, 'PUT', path, body);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred' });
      return (answer.json.Elements as Array<{ ValidationErrors: Array<{ Message: string }> }>).flatMap((e) => e.ValidationErrors.map((v) => v.Message));
    };
    await call(token, 'PUT', '/Invoices', { Invoices: [{ ...base, InvoiceNumber: 'DUP-1', LineItems: [{ ItemCode: 'SKU-1' }] }] });
    expect(await messages({ Invoices: [{ ...base, InvoiceNumber: 'dup-1', LineItems: [{ ItemCode: 'SKU-1' }] }] })).toContain('Invoice # must be unique.');
    expect(await messages({ Invoices: [{ ...base, LineItems: [{ ItemCode: 'NOPE' }] }] })).toContain("Item code 'NOPE' is not valid");
    expect(await messages({ Invoices: [{ ...base, LineItems: [{ ItemCode: 'BARE' }] }] })).toContain("Account code '' is not a valid code for this document.");
    expect(await messages({ Invoices: [{ ...base, LineItems: [{ ItemCode: 'SKU-1', AccountCode: '400' }] }] })).toContain("Account code '400' is not a valid code for this document.");
    expect(await messages({ Invoices: [{ ...base, LineItems: [{ ItemCode: 'SKU-1', TaxType: 'INPUT2' }] }] })).toContain('The TaxType code INPUT2 does not exist or cannot be used for this type of transaction.');
    expect(await messages({ Invoices: [{ ...base, InvoiceNumber: 'x'.repeat(256), LineItems: [{ ItemCode: 'SKU-1' }] }] })).toContain('Invoice Number must not be more than 255 characters long');
    expect(await messages({ Invoices: [{ ...base, Contact: {}, LineItems: [{ ItemCode: 'SKU-1' }] }] })).toContain('A Contact must be specified for this type of transaction');
    expect(await messages({ Invoices: [{ ...base, LineItems: [] }] })).toContain('One or more line items must be specified');
    // A draft may leave the account out; an approved invoice may not [S: xero-node #398].
    expect((await call(token, 'PUT', '/Invoices', { Invoices: [{ ...base, Status: 'DRAFT', LineItems: [{ ItemCode: 'BARE' }] }] })).status).toBe(200);
    expect(await messages({ Contacts: [{ Name: 'jane doe' }] }, '/Contacts')).toContain('The contact name jane doe is already assigned to another contact. The contact name must be unique across all active contacts.');
    expect(await messages({ Contacts: [{ Name: 'A', ContactNumber: 'n'.repeat(51) }] }, '/Contacts')).toContain('Contact Number must not be more than 50 characters long');
    expect(await messages({ Invoices: [{ ...base, Status: 'PAID', LineItems: [{ ItemCode: 'SKU-1' }] }] })).toContain('Invoice status PAID cannot be set through the API on a new invoice.');
    expect(await messages({ Invoices: [{ ...base, LineItems: [{ Quantity: 1, UnitAmount: 5, AccountCode: '200' }] }] })).toContain('Description must be at least 1 character(s) long.');
    expect(await messages({ Invoices: [{ ...base, Type: 'ACCPAY', LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 5, AccountCode: '200', DiscountRate: 10 }] }] })).toContain(
      'Discounts can only be applied to sales invoices (ACCREC).',
    );
    expect(await messages({ Contacts: [{ Name: 'B', EmailAddress: `${'e'.repeat(250)}@x.com`, AccountNumber: 'a'.repeat(51) }] }, '/Contacts')).toEqual([
      'Email Address must not be more than 255 characters long',
      'Account Number must not be more than 50 characters long',
    ]);
    expect(await messages({ BankTransactions: [{ Type: 'RECEIVE', Contact: { ContactID: contactId }, BankAccount: { Code: '200' }, LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 5, AccountCode: '200' }] }] }, '/BankTransactions')).toContain(
      'A valid BankAccount must be specified.',
    );
    expect(await messages({ Items: [{ Code: 'C'.repeat(31), Name: 'N'.repeat(51) }] }, '/Items')).toEqual([
      'Item Code must not be more than 30 characters long',
      'Item Name must not be more than 50 characters long',
    ]);
    expect(await messages({ Items: [{ Code: 'sku-1', Name: 'Again' }] }, '/Items')).toContain("Item code 'sku-1' already exists.");
    expect((await call(token, 'PUT', '/Items', { Items: [{ Code: 'NEW-1', Name: 'New', SalesDetails: { AccountCode: '200', TaxType: 'OUTPUT2', UnitPrice: 3 } }] })).status).toBe(200);
    const invoice = emulator.control.invoices(ORG).find((i) => i.InvoiceNumber === 'DUP-1')!;
    expect(await messages({ Payments: [{ Invoice: { InvoiceID: invoice.InvoiceID }, Account: { Code: '090' }, Date: '2026-11-20', Amount: 1000 }] }, '/Payments')).toContain('The payment amount exceeds the amount outstanding on this document.');
    expect(await messages({ Payments: [{ Invoice: { InvoiceID: invoice.InvoiceID }, Account: { Code: '200' }, Date: '2026-11-20', Amount: 1 }] }, '/Payments')).toContain('Account type is invalid for making a payment to/from');
  });

  it('currencies: documents only in a currency set up; CurrencyRate kept or the day\'s; a payment in the invoice\'s currency; receive money in the bank\'s', async () => {
    const { access_token: token } = await tokens();
    const contactId = emulator.control.contacts(ORG)[0]!.ContactID as string;
    const invoice = (number: string, extra: Record<string, unknown>) => ({
      Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contactId }, InvoiceNumber: number, DueDate: '2026-11-20', Status: 'AUTHORISED', LineItems: [{ ItemCode: 'SKU-1' }], ...extra }],
    });
    const refused = await call(token, 'PUT', '/Invoices', invoice('C-1', { CurrencyCode: 'EUR' }));
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('The currency code EUR is not set up in this organisation.');
    const contact = await call(token, 'PUT', '/Contacts', { Contacts: [{ Name: 'Euro Contact', DefaultCurrency: 'EUR' }] });
    expect(contact.status).toBe(400);

    const added = await call(token, 'PUT', '/Currencies', { Currencies: [{ Code: 'EUR' }] });
    expect(added.status).toBe(200);
    expect(((await call(token, 'GET', '/Currencies')).json.Currencies as Array<Record<string, unknown>>).map((c) => c.Code)).toEqual(['GBP', 'EUR']);
    const sent = ((await call(token, 'PUT', '/Invoices', invoice('C-2', { CurrencyCode: 'EUR', CurrencyRate: 1.1500004 }))).json.Invoices as Array<Record<string, unknown>>)[0]!;
    expect(sent).toMatchObject({ CurrencyCode: 'EUR', CurrencyRate: 1.15, Total: 12 });
    emulator.control.addCurrency(ORG, { code: 'JPY', rate: 190 });
    const daily = ((await call(token, 'PUT', '/Invoices', invoice('C-3', { CurrencyCode: 'JPY' }))).json.Invoices as Array<Record<string, unknown>>)[0]!;
    expect(daily).toMatchObject({ CurrencyCode: 'JPY', CurrencyRate: 190 });

    const payment = await call(token, 'PUT', '/Payments', { Payments: [{ Invoice: { InvoiceID: sent.InvoiceID }, Account: { Code: '090' }, Date: '2026-11-20', Amount: 11.5 }] });
    expect((payment.json.Payments as Array<Record<string, unknown>>)[0]).toMatchObject({ Amount: 11.5, CurrencyRate: 1.15, BankAmount: 10 });

    // A sales credit note likewise: a currency set up, at the rate sent; its refund payment at the note's rate.
    const creditNote = (number: string, currency: string) => ({
      CreditNotes: [{ Type: 'ACCRECCREDIT', Contact: { ContactID: contactId }, CreditNoteNumber: number, Status: 'AUTHORISED', LineItems: [{ ItemCode: 'SKU-1' }], CurrencyCode: currency, CurrencyRate: 1.15 }],
    });
    const noCurrency = await call(token, 'PUT', '/CreditNotes', creditNote('CN-C-1', 'USD'));
    expect(noCurrency.status).toBe(400);
    expect(JSON.stringify(noCurrency.json)).toContain('The currency code USD is not set up in this organisation.');
    const note = ((await call(token, 'PUT', '/CreditNotes', creditNote('CN-C-2', 'EUR'))).json.CreditNotes as Array<Record<string, unknown>>)[0]!;
    expect(note).toMatchObject({ CurrencyCode: 'EUR', CurrencyRate: 1.15, Total: 12 });
    const paidOut = await call(token, 'PUT', '/Payments', { Payments: [{ CreditNote: { CreditNoteID: note.CreditNoteID }, Account: { Code: '090' }, Date: '2026-11-20', Amount: 11.5 }] });
    expect((paidOut.json.Payments as Array<Record<string, unknown>>)[0]).toMatchObject({ Amount: 11.5, CurrencyRate: 1.15, BankAmount: 10 });

    const received = await call(token, 'PUT', '/BankTransactions', {
      BankTransactions: [{ Type: 'RECEIVE', Contact: { ContactID: contactId }, BankAccount: { Code: '090' }, CurrencyCode: 'EUR', LineItems: [{ ItemCode: 'SKU-1', AccountCode: '200' }] }],
    });
    expect(received.status).toBe(400);
    expect(JSON.stringify(received.json)).toContain('does not match the currency GBP of bank account 090');
  });

  it('filters with where, InvoiceNumbers and searchTerm', async () => {
    const { access_token: token } = await tokens();
    const byEmail = await call(token, 'GET', `/Contacts?where=${encodeURIComponent('EmailAddress=="JANE@example.com"')}`);
    expect((byEmail.json.Contacts as unknown[]).length).toBe(1);
    const byNumber = await call(token, 'GET', `/Contacts?where=${encodeURIComponent('ContactNumber=="shop-1" OR Name=="nobody"')}`);
    expect((byNumber.json.Contacts as unknown[]).length).toBe(1);
    const items = await call(token, 'GET', `/Items?where=${encodeURIComponent('Code=="SKU-1" OR Code=="BARE"')}`);
    expect((items.json.Items as unknown[]).length).toBe(2);
    const invoices = await call(token, 'GET', '/Invoices?InvoiceNumbers=DUP-1');
    expect((invoices.json.Invoices as unknown[]).length).toBe(1);
    const bad = await call(token, 'GET', `/Contacts?where=${encodeURIComponent('Name=')}`);
    expect(bad.status).toBe(400);
    const byNumber1 = await call(token, 'GET', '/Invoices/DUP-1');
    expect((byNumber1.json.Invoices as unknown[]).length).toBe(1);
    expect((await call(token, 'GET', '/Invoices/NO-SUCH')).status).toBe(404);
    expect((await call(token, 'GET', '/NoSuchEndpoint')).status).toBe(404);
  });

  it('replays the first answer to a repeated Idempotency-Key and refuses the key with another body', async () => {
    const { access_token: token } = await tokens();
    const body = { Contacts: [{ Name: 'Idem Potent' }] };
    const first = await call(token, 'PUT', '/Contacts', body, { 'Idempotency-Key': 'key-1' });
    const again = await call(token, 'PUT', '/Contacts', body, { 'Idempotency-Key': 'key-1' });
    expect(again.status).toBe(200);
    expect(again.json.Contacts).toEqual(first.json.Contacts);
    expect(emulator.control.contacts(ORG).filter((c) => c.Name === 'Idem Potent')).toHaveLength(1);
    const other = await call(token, 'PUT', '/Contacts', { Contacts: [{ Name: 'Someone Else' }] }, { 'Idempotency-Key': 'key-1' });
    expect(other.status).toBe(400);
    const long = await call(token, 'PUT', '/Contacts', { Contacts: [{ Name: 'Long Key' }] }, { 'Idempotency-Key': 'k'.repeat(129) });
    expect(long.status).toBe(400);
  });
});

describe('Xero emulator: identity, connections and limits', () => {
  it('answers an expired token with 401 TokenExpired and an unconnected tenant with 403', async () => {
    const { access_token: token } = await tokens([ORG]);
    const forbidden = await call(token, 'GET', '/Organisation', undefined, { 'xero-tenant-id': OTHER });
    expect(forbidden.status).toBe(403);
    expect(forbidden.json).toMatchObject({ Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
    emulator.control.expireAccessTokens();
    const expired = await call(token, 'GET', '/Organisation');
    expect(expired.status).toBe(401);
    expect(expired.json).toMatchObject({ Type: null, Title: 'Unauthorized', Status: 401, Extensions: {} });
    expect(String(expired.json.Detail)).toMatch(/^TokenExpired: token expired at \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}:\d{2}$/);
  });

  it('lists several organisations per grant, deletes one connection, and revocation removes them all', async () => {
    const pair = await tokens([ORG, OTHER]);
    const list = async () => (await (await fetch(`${emulator.urls.connectionsBaseUrl}/connections`, { headers: { authorization: `Bearer ${pair.access_token}` } })).json()) as Array<Record<string, string>>;
    const connections = await list();
    expect(connections.map((c) => c.tenantId).sort()).toEqual([ORG, OTHER].sort());
    expect(connections[0]).toMatchObject({ tenantType: 'ORGANISATION', authEventId: expect.any(String), id: expect.any(String) });
    const other = connections.find((c) => c.tenantId === OTHER)!;
    const removed = await fetch(`${emulator.urls.connectionsBaseUrl}/connections/${other.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${pair.access_token}` } });
    expect(removed.status).toBe(204);
    expect((await list()).map((c) => c.tenantId)).toEqual([ORG]);
    const revoke = await fetch(emulator.urls.revocationEndpoint, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: pair.refresh_token }) });
    expect(revoke.status).toBe(200);
    const refresh = await fetch(emulator.urls.tokenEndpoint, { method: 'POST', headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: pair.refresh_token }) });
    expect(refresh.status).toBe(400);
    expect(await refresh.json()).toEqual({ error: 'invalid_grant' });
  });

  it('lets a refresh token lapse after 60 days unused, while one used within them is replaced by a fresh one', async () => {
    const refresh = (token: string) =>
      fetch(emulator.urls.tokenEndpoint, {
        method: 'POST',
        headers: { authorization: BASIC, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
      });
    const kept = await tokens([ORG]);
    const idle = await tokens([ORG]);
    emulator.control.advanceClock(59 * 86_400_000);
    const renewed = await refresh(kept.refresh_token);
    expect(renewed.status).toBe(200);
    const next = (await renewed.json()) as { refresh_token: string; expires_in: number; token_type: string };
    expect(next).toMatchObject({ expires_in: 1800, token_type: 'Bearer' });
    emulator.control.advanceClock(2 * 86_400_000);
    expect((await refresh(idle.refresh_token)).status).toBe(400);
    expect((await refresh(next.refresh_token)).status).toBe(200);
  });

  it('sends the remaining-call headers on every answer and 429 with the limit that was hit', async () => {
    const { access_token: token } = await tokens([ORG]);
    const ok = await call(token, 'GET', '/Organisation');
    for (const header of ['x-daylimit-remaining', 'x-minlimit-remaining', 'x-appminlimit-remaining']) expect(Number(ok.headers.get(header))).toBeGreaterThanOrEqual(0);
    emulator.control.setRateLimits({ perMinute: 0 });
    const minute = await call(token, 'GET', '/Organisation');
    expect(minute.status).toBe(429);
    expect(minute.headers.get('x-rate-limit-problem')).toBe('minute');
    expect(Number(minute.headers.get('retry-after'))).toBeGreaterThan(0);
    emulator.control.setRateLimits({ perMinute: 100_000 });
    emulator.control.spendDailyCalls(ORG, 5000);
    const day = await call(token, 'GET', '/Organisation');
    expect(day.status).toBe(429);
    expect(day.headers.get('x-rate-limit-problem')).toBe('day');
    expect(day.headers.get('x-daylimit-remaining')).toBe('0');
    emulator.control.advanceClock(Number(day.headers.get('retry-after')) * 1000);
    emulator.control.expireAccessTokens();
    const { access_token: fresh } = await tokens([ORG]);
    expect((await call(fresh, 'GET', '/Organisation')).status).toBe(200);
  });
});
