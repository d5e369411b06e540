import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccountingTarget, LedgerSale } from '../domain/accounting-target.js';
import type { AccessTokenProvider, IntegrationCredentials } from '../domain/credentials.js';
import {
  CredentialsInvalidError,
  LedgerRejectedError,
  PlatformUnavailableError,
  RateLimitedError,
} from '../domain/platform-errors.js';
import { startQboEmulator, type RunningQboEmulator } from '../emulators/qbo/emulator.js';
import type { AccountingPlatform, IntegrationAccount } from '../platforms/platform.js';
import { QboAccountingTarget } from '../platforms/qbo/qbo-accounting-target.js';
import { QboClient } from '../platforms/qbo/qbo-client.js';
import { qboRequestId } from '../platforms/qbo/request-id.js';
import { toQboSalesReceipt } from '../platforms/qbo/sales-receipt-payload.js';
import { createQboPlatform, qboEndpointsAt } from '../platforms/qbo/qbo-platform.js';

const REALM = '9130350000000001';
const REDIRECT_URI = 'http://127.0.0.1:1/integrations/qbo/callback';
const DEFAULT_RETRY_AFTER_MS = 12_345;

let emulator: RunningQboEmulator;
let platform: AccountingPlatform;

/** Stand-in for db/credential-store: keeps the pair in memory and refreshes through the platform. */
class MemoryTokenProvider implements AccessTokenProvider {
  /** When false, behaves like a store that knows the grant is gone. */
  canRefresh = true;

  constructor(
    public credentials: IntegrationCredentials,
    private readonly account: IntegrationAccount,
  ) {}

  async getAccessToken(): Promise<string> {
    return this.credentials.accessToken;
  }

  async refreshAfterRejection(rejectedToken: string): Promise<string | null> {
    if (rejectedToken !== this.credentials.accessToken) return this.credentials.accessToken;
    if (!this.canRefresh) return null;
    const next = await platform.refreshTokens(this.credentials, this.account);
    if (next === null) return null;
    this.credentials = next;
    return next.accessToken;
  }
}

async function connect(): Promise<{ account: IntegrationAccount; credentials: IntegrationCredentials }> {
  const response = await fetch(platform.authorizeUrl({}, 'state-123', REDIRECT_URI), { redirect: 'manual' });
  const callback = new URL(response.headers.get('location')!);
  expect(callback.searchParams.get('state')).toBe('state-123');
  return platform.completeAuthorization(Object.fromEntries(callback.searchParams), REDIRECT_URI);
}

async function connectedTarget(): Promise<{ target: AccountingTarget; tokens: MemoryTokenProvider }> {
  const { account, credentials } = await connect();
  const tokens = new MemoryTokenProvider(credentials, account);
  return { target: platform.createTarget({ integrationId: 'int-1', account, tokens }), tokens };
}

function receipt(docNumber: string, overrides: Partial<LedgerSale> = {}): LedgerSale {
  return {
    docNumber,
    date: '2026-11-20',
    currency: 'USD',
    customerId: '41',
    taxesIncluded: false,
    // A US company: lines are taxable or not, the sale's tax code gives the rate (7.25 % + 1.25 %).
    lines: [
      { itemId: '11', description: 'Widget, blue', quantity: 3, unitPrice: '19.99', amount: '59.97', taxCodeId: null, taxable: true, discount: '5.00', tax: '4.67' },
      { itemId: '12', description: 'Gadget', quantity: 1, unitPrice: '49.00', amount: '49.00', taxCodeId: null, taxable: true, discount: '0.00', tax: '4.17' },
    ],
    discount: '5.00',
    shipping: { amount: '7.50', taxCodeId: null, taxable: false, tax: '0.00' },
    saleTaxCodeId: '21',
    totalTax: '8.84',
    total: '120.31',
    marker: 'Shopify order #1001 from demo.myshopify.com',
    internalNote: 'Shopify order #1001 from demo.myshopify.com',
    customerMemo: 'Thanks for your order!',
    ...overrides,
  };
}

/** A lookup by number alone: the QBO ledger finds its receipts by number and leaves whose they are to the caller. */
function numbered(docNumber: string) {
  return { docNumber, order: { id: null, name: `#${docNumber}` } };
}

function receiptsNumbered(docNumber: string) {
  return emulator.control.documents(REALM, 'SalesReceipt').filter((document) => document.docNumber === docNumber);
}

beforeAll(async () => {
  emulator = await startQboEmulator({
    clientId: 'lb-client',
    clientSecret: 'lb-secret',
    // The 10/s limit is covered in qbo-emulator.test.ts; here it would only throttle the test itself.
    rateLimits: { perSecond: 10_000, perMinute: 100_000 },
    companies: [
      {
        realmId: REALM,
        companyName: 'Books of Demo Shop',
        items: [
          { id: '11', name: 'Widget', sku: 'WID-1' },
          { id: '12', name: 'Gadget', sku: 'GAD-1' },
          { id: '13', name: 'Old lamp', sku: null, active: false },
        ],
        taxCodes: [
          { id: '21', name: 'California', rates: [{ id: '31', name: 'CA State', ratePercent: 7.25 }, { id: '32', name: 'Local', ratePercent: 1.25 }] },
          { id: '22', name: 'Exempt', rates: [] },
        ],
        customers: [
          { id: '41', displayName: "Dara O'Brien", email: 'dara@example.com' },
          { id: '42', displayName: 'Jane Doe' },
        ],
      },
    ],
  });
  platform = createQboPlatform({
    clientId: 'lb-client',
    clientSecret: 'lb-secret',
    environment: 'sandbox',
    ...qboEndpointsAt(emulator.urls),
    defaultRetryAfterMs: DEFAULT_RETRY_AFTER_MS,
  });
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  emulator.control.clearFaults();
});

describe('createQboPlatform', () => {
  it('connects through OAuth and reports the company', async () => {
    expect(platform).toMatchObject({ id: 'qbo', displayName: 'QuickBooks Online', role: 'accounting', requiredScopes: ['com.intuit.quickbooks.accounting'] });
    const { account, credentials } = await connect();
    expect(account).toEqual({ realmId: REALM });
    expect(credentials.scopes).toEqual(['com.intuit.quickbooks.accounting']);
    expect(Date.parse(credentials.accessTokenExpiresAt!) - Date.now()).toBeGreaterThan(3500_000);
    const target = platform.createTarget({ integrationId: 'i', account, tokens: new MemoryTokenProvider(credentials, account) });
    expect(await target.checkConnection()).toEqual({ accountName: 'Books of Demo Shop', grantedScopes: null });
  });

  it('refreshes to a new pair and maps invalid_grant after a revoke to CredentialsInvalidError', async () => {
    const { account, credentials } = await connect();
    const next = await platform.refreshTokens(credentials, account);
    expect(next!.refreshToken).not.toBe(credentials.refreshToken);
    expect(next!.scopes).toEqual(credentials.scopes);
    emulator.control.revokeGrant(REALM);
    const error = await platform.refreshTokens(next!, account).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsInvalidError);
    expect(error).toMatchObject({
      problem: 'invalid_grant',
      message: "QuickBooks Online no longer accepts ledgerbridge's connection (the grant was revoked or expired). Reconnect the integration.",
    });
  });
});

describe('QboAccountingTarget', () => {
  let target: AccountingTarget;
  let tokens: MemoryTokenProvider;
  beforeEach(async () => {
    ({ target, tokens } = await connectedTarget());
  });

  it('lists items (inactive included) and tax codes with their summed rates', async () => {
    expect(await target.listItems()).toEqual([
      { id: '11', name: 'Widget', sku: 'WID-1', active: true },
      { id: '12', name: 'Gadget', sku: 'GAD-1', active: true },
      { id: '13', name: 'Old lamp', sku: null, active: false },
    ]);
    expect(await target.listTaxCodes()).toEqual([
      { id: '21', name: 'California', ratePercent: 8.5, active: true },
      { id: '22', name: 'Exempt', ratePercent: 0, active: true },
    ]);
  });

  it('finds items by SKU without listing the catalogue, in chunks, quotes escaped', async () => {
    emulator.control.clearRequestLog();
    const skus = ['WID-1', "O'Brien\\1", ...Array.from({ length: 60 }, (_, i) => `NONE-${i}`)];
    const found = await target.findItemsBySku(skus);
    expect(found).toEqual([{ id: '11', name: 'Widget', sku: 'WID-1', active: true }]);
    const queries = emulator.control.requestLog().filter((request) => request.url.includes('/query'));
    expect(queries).toHaveLength(2);
  });

  it('pages item lists past 1000 rows', async () => {
    const paging = new QboAccountingTarget(
      new QboClient({ apiBaseUrl: emulator.urls.apiBaseUrl, realmId: REALM, tokens }),
    );
    for (let i = 0; i < 1001; i++) emulator.control.addItem(REALM, { name: `Bulk ${i}`, sku: `B-${i}` });
    try {
      const items = await paging.listItems();
      expect(items).toHaveLength(1004);
      expect(new Set(items.map((item) => item.id)).size).toBe(1004);
    } finally {
      for (const item of emulator.control.list(REALM, 'Item').filter((row) => String(row.Name).startsWith('Bulk '))) {
        emulator.control.setItemActive(REALM, String(item.Id), false);
      }
    }
  });

  it('finds customers by email, then by display name with quotes escaped', async () => {
    expect(await target.findCustomer({ email: 'dara@example.com', displayName: 'nobody' })).toEqual({ id: '41', displayName: "Dara O'Brien", email: 'dara@example.com' });
    expect(await target.findCustomer({ email: 'unknown@example.com', displayName: "Dara O'Brien" })).toMatchObject({ id: '41' });
    expect(await target.findCustomer({ email: null, displayName: 'Jane Doe' })).toEqual({ id: '42', displayName: 'Jane Doe', email: null });
    expect(await target.findCustomer({ email: null, displayName: 'No Such Person' })).toBeNull();
  });

  it('creates customers once per idempotency key and adopts an existing name on 6240', async () => {
    const input = { displayName: 'Sam Lee', givenName: 'Sam', familyName: 'Lee', email: 'sam@example.com', currency: 'USD' };
    const created = await target.createCustomer(input, 'customer:sam');
    expect(created).toMatchObject({ displayName: 'Sam Lee', email: 'sam@example.com' });
    expect(await target.createCustomer(input, 'customer:sam')).toEqual(created);
    expect(await target.createCustomer(input, 'customer:sam:another-run')).toEqual(created);
    expect(emulator.control.documents(REALM, 'Customer').filter((d) => d.record.DisplayName === 'Sam Lee')).toHaveLength(1);
  });

  it('books a sales receipt with lines, tax, discount and shipping, and reads it back', async () => {
    const booked = await target.bookSale(receipt('1001'), 'order:1001:receipt');
    expect(booked).toMatchObject({ docNumber: '1001', total: '120.31' });
    expect(await target.findBookedSale(numbered('1001'))).toEqual(booked);

    const [document] = receiptsNumbered('1001');
    const stored = document!.record as Record<string, any>;
    expect(stored).toMatchObject({
      Id: booked.id,
      TxnDate: '2026-11-20',
      CustomerRef: { value: '41' },
      CurrencyRef: { value: 'USD' },
      TxnTaxDetail: { TxnTaxCodeRef: { value: '21' }, TotalTax: 8.84 },
      PrivateNote: 'Shopify order #1001 from demo.myshopify.com',
      CustomerMemo: { value: 'Thanks for your order!' },
      TotalAmt: 120.31,
    });
    expect(stored.GlobalTaxCalculation).toBeUndefined();
    const lines = stored.Line as Record<string, any>[];
    expect(lines.filter((line) => line.DetailType === 'SalesItemLineDetail').map((line) => [line.SalesItemLineDetail.ItemRef.value, line.SalesItemLineDetail.Qty, line.SalesItemLineDetail.UnitPrice, line.Amount, line.SalesItemLineDetail.TaxCodeRef?.value])).toEqual([
      // The discount is taken off its line, so the ledger taxes what the shop taxed.
      ['11', 3, 18.3233333, 54.97, 'TAX'],
      ['12', 1, 49, 49, 'TAX'],
      ['SHIPPING_ITEM_ID', undefined, undefined, 7.5, 'NON'],
    ]);
    expect(lines.some((line) => line.DetailType === 'DiscountLineDetail')).toBe(false);
    expect(lines[0]!.Description).toBe('Widget, blue');
  });

  it('rejects a 22-character DocNumber with 2050', async () => {
    const error = await target.bookSale(receipt('X'.repeat(22)), 'order:long').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerRejectedError);
    expect(error).toMatchObject({ code: '2050' });
    expect((error as Error).message).toMatch(/^QuickBooks Online rejected sales receipt X{22}: DocNumber is longer than QuickBooks Online allows \(at most 21 characters\) \(code 2050\)$/);
    expect((error as LedgerRejectedError).detail).toContain('HTTP 400');
  });

  it('looks the number up before every create and returns the receipt already booked under it, writing nothing', async () => {
    const first = await target.bookSale(receipt('1002'), 'order:1002:first-run');
    emulator.control.clearRequestLog();
    const second = await target.bookSale(receipt('1002'), 'order:1002:second-run');
    expect(second).toEqual(first);
    expect(receiptsNumbered('1002')).toHaveLength(1);
    const log = emulator.control.requestLog();
    expect(log.map((r) => r.url.split('?')[0]!.split('/').at(-1))).toEqual(['query']);
  });

  it('still adopts the receipt when the number was taken between the lookup and the create (6140)', async () => {
    // The lookup before booking saw no receipt; then another run booked the number.
    await expect(target.findBookedSale(numbered('1012'))).resolves.toBeNull();
    const other = new QboClient({ apiBaseUrl: emulator.urls.apiBaseUrl, realmId: REALM, tokens });
    const first = await other.create('salesreceipt', 'SalesReceipt', toQboSalesReceipt(receipt('1012'), await target.taxSetup()), { idempotencyKey: 'order:1012:other-run', subject: 'x' });
    emulator.control.clearRequestLog();
    const second = await target.bookSale(receipt('1012'), 'order:1012:this-run');
    expect(second.id).toBe(first.Id);
    expect(receiptsNumbered('1012')).toHaveLength(1);
    expect(emulator.control.requestLog().filter((r) => r.url.includes('/salesreceipt?') && r.status === 400)).toHaveLength(1);
  });

  it('sends a requestid of business identity and payload hash: same document, same id; changed document, new id', async () => {
    const key = `order:1003:${'long-key-'.repeat(8)}`;
    const sent = async (memo: string | null) => {
      emulator.control.clearRequestLog();
      await target.bookSale(receipt(`1003${memo ?? ''}`.slice(0, 21), { customerMemo: memo }), key).catch(() => null);
      return emulator.control.requestLog().find((r) => r.url.includes('/salesreceipt?'))!.requestId!;
    };
    const first = await sent('a');
    expect(first).toHaveLength(50);
    expect(first).toMatch(/^[0-9a-f]{29}\.[0-9a-f]{20}$/);
    const changed = await sent('b');
    expect(changed.slice(0, 29)).toBe(first.slice(0, 29));
    expect(changed).not.toBe(first);
    expect(qboRequestId('receipt:r1:42:1', { B: 1, A: [1, { y: 2, x: 1 }] })).toBe(qboRequestId('receipt:r1:42:1', { A: [1, { x: 1, y: 2 }], B: 1 }));
    expect(qboRequestId('receipt:r1:42:1', { A: 1 })).toMatch(/^receipt:r1:42:1\.[0-9a-f]{20}$/);
  });

  it('names the inactive item in the rejection (610)', async () => {
    const bad = receipt('1004', { lines: [{ itemId: '13', description: 'Lamp', quantity: 1, unitPrice: '10.00', amount: '10.00', taxCodeId: null, taxable: true, discount: '0.00' }] });
    const error = await target.bookSale(bad, 'order:1004').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerRejectedError);
    expect((error as Error).message).toBe("QuickBooks Online rejected sales receipt 1004: the item 'Old lamp' is inactive (code 610)");
    emulator.control.setTaxCodeActive(REALM, '22', false);
    try {
      const taxError = await target.bookSale(receipt('1004', { saleTaxCodeId: '22' }), 'order:1004:b').catch((e: unknown) => e);
      expect((taxError as Error).message).toBe("QuickBooks Online rejected sales receipt 1004: the tax code 'Exempt' is inactive (code 610)");
    } finally {
      emulator.control.setTaxCodeActive(REALM, '22', true);
    }
    expect(receiptsNumbered('1004')).toHaveLength(0);
  });

  it('names the inactive item or refund-from account in a refund receipt\'s rejection (610), as for the sale', async () => {
    const sale = await target.bookSale(receipt('1050'), 'order:1050');
    const refund = { ...receipt('1050-R1'), sale: { id: sale.id, docNumber: '1050' }, refundId: 'r1' };
    emulator.control.setItemActive(REALM, '12', false);
    try {
      const error = await target.bookRefund!(refund, 'refund:1050:r1').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LedgerRejectedError);
      expect((error as Error).message).toBe("QuickBooks Online rejected refund receipt 1050-R1: the item 'Gadget' is inactive (code 610)");
    } finally {
      emulator.control.setItemActive(REALM, '12', true);
    }
    // The sale's money went to Undeposited Funds (the emulator's seeded 9004): the refund is paid out of it.
    emulator.control.setAccountActive(REALM, '9004', false);
    try {
      const error = await target.bookRefund!(refund, 'refund:1050:r1:b').catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/^QuickBooks Online rejected refund receipt 1050-R1: the account '.+' is inactive \(code 610\)$/);
    } finally {
      emulator.control.setAccountActive(REALM, '9004', true);
    }
    expect(emulator.control.documents(REALM, 'RefundReceipt').filter((document) => document.docNumber === '1050-R1')).toHaveLength(0);
  });

  it('names the inactive account a deposit takes its money out of (610)', async () => {
    emulator.control.addAccount(REALM, { name: 'Payout bank', type: 'Bank' });
    const clearing = emulator.control.addAccount(REALM, { name: 'Shop clearing', type: 'Other Current Asset' });
    const { account, credentials } = await connect();
    const payouts = platform.createTarget({
      integrationId: 'int-payouts',
      account,
      tokens: new MemoryTokenProvider(credentials, account),
      routeOptions: { payoutBankAccount: 'Payout bank' },
    });
    emulator.control.setAccountActive(REALM, String(clearing.Id), false);
    const payout = {
      payoutId: 'p1',
      docNumber: 'PO-p1',
      date: '2026-11-20',
      currency: 'USD',
      net: '20.00',
      lines: [{ kind: 'sale' as const, amount: '20.00', description: 'Order #1001', clearingAccountId: String(clearing.Id) }],
      marker: 'Shopify payout p1 from demo.myshopify.com',
      payee: 'Shopify #1',
    };
    const error = await payouts.bookPayout!(payout, 'payout:p1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerRejectedError);
    expect((error as Error).message).toBe("QuickBooks Online rejected deposit PO-p1: the account 'Shop clearing' is inactive (code 610)");
    expect(emulator.control.documents(REALM, 'Deposit')).toHaveLength(0);
  });

  it('turns 429 into RateLimitedError with Retry-After, else the configured default (JSON and XML bodies)', async () => {
    emulator.control.setThrottleRetryAfter(7);
    emulator.control.throttleNext(1);
    const withHeader = await target.findBookedSale(numbered('1001')).catch((e: unknown) => e);
    expect(withHeader).toBeInstanceOf(RateLimitedError);
    expect((withHeader as RateLimitedError).retryAfterMs).toBe(7000);
    expect((withHeader as RateLimitedError).detail).toContain('3001');

    emulator.control.setThrottleRetryAfter(null);
    emulator.control.setThrottleBodyFormat('xml');
    emulator.control.throttleNext(1);
    try {
      const withoutHeader = await target.listTaxCodes().catch((e: unknown) => e);
      expect(withoutHeader).toBeInstanceOf(RateLimitedError);
      expect((withoutHeader as RateLimitedError).retryAfterMs).toBe(DEFAULT_RETRY_AFTER_MS);
      expect((withoutHeader as RateLimitedError).detail).toContain('3001 message=ThrottleExceeded');
    } finally {
      emulator.control.setThrottleBodyFormat('json');
      emulator.control.setThrottleRetryAfter(60);
    }
  });

  it('refreshes exactly once on an expired access token and succeeds', async () => {
    const before = emulator.control.refreshCount(REALM);
    const oldToken = tokens.credentials.accessToken;
    emulator.control.expireAccessTokens(REALM);
    expect(await target.checkConnection()).toMatchObject({ accountName: 'Books of Demo Shop' });
    expect(emulator.control.refreshCount(REALM)).toBe(before + 1);
    expect(tokens.credentials.accessToken).not.toBe(oldToken);
  });

  it('throws CredentialsInvalidError when the grant was revoked', async () => {
    emulator.control.revokeGrant(REALM);
    const viaRefresh = await target.findBookedSale(numbered('1001')).catch((e: unknown) => e);
    expect(viaRefresh).toBeInstanceOf(CredentialsInvalidError);
    expect(viaRefresh).toMatchObject({ problem: 'invalid_grant' });

    // A store that already knows the grant is gone answers null; both 401 envelopes are understood.
    tokens.canRefresh = false;
    for (const envelope of ['fault', 'Fault'] as const) {
      emulator.control.setAuthFaultEnvelope(envelope);
      const error = await target.listItems().catch((e: unknown) => e);
      expect(error, envelope).toBeInstanceOf(CredentialsInvalidError);
      expect(error, envelope).toMatchObject({ problem: 'revoked' });
      expect((error as CredentialsInvalidError).detail, envelope).toContain('3200');
    }
    emulator.control.setAuthFaultEnvelope('fault');
  });

  it('reports an injected 503 as PlatformUnavailableError', async () => {
    emulator.control.injectFaults({ failNext: 1, failStatus: 503 });
    const error = await target.bookSale(receipt('1005'), 'order:1005').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect(error).toMatchObject({ status: 503 });
    expect(receiptsNumbered('1005')).toHaveLength(0);
  });

  it('survives a connection dropped after the write: retry with the same key yields exactly one document', async () => {
    // As in an order sync: the tax codes were listed by the mapping and the number was just looked up, so the create goes straight to the write.
    await target.listTaxCodes();
    await expect(target.findBookedSale(numbered('1006'))).resolves.toBeNull();
    emulator.control.injectFaults({ dropNext: 1 });
    const error = await target.bookSale(receipt('1006'), 'order:1006:receipt').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PlatformUnavailableError);
    expect(error).toMatchObject({ status: null });
    expect(receiptsNumbered('1006')).toHaveLength(1);

    const retried = await target.bookSale(receipt('1006'), 'order:1006:receipt');
    expect(retried).toMatchObject({ id: receiptsNumbered('1006')[0]!.id, docNumber: '1006', total: '120.31' });
    expect(receiptsNumbered('1006')).toHaveLength(1);
  });

  it('lists every sales receipt of a date range by TxnDate, 1000 a page, and reports a second receipt under one number', async () => {
    // Dates of their own (2025-03), so the other tests' receipts stay out of the range.
    const inRange = await target.bookSale(receipt('L-1', { date: '2025-03-10', marker: 'Shopify #1 order #L-1 (id 71), booked by ledgerbridge.', internalNote: 'Shopify #1 order #L-1 (id 71), booked by ledgerbridge.' }), 'list:1');
    await target.bookSale(receipt('L-2', { date: '2025-03-11' }), 'list:2');
    await target.bookSale(receipt('L-0', { date: '2025-03-09' }), 'list:0');
    await target.bookSale(receipt('L-3', { date: '2025-03-12' }), 'list:3');
    // A company allowing duplicate numbers can hold one order's receipt twice (FIDELITY-limits.md L6).
    for (let i = 0; i < 1000; i++) emulator.control.duplicateSalesReceipt(REALM, inRange.id);
    // The statements the target sends (queries travel in POST bodies, which the emulator's request log leaves out).
    const client = new QboClient({ apiBaseUrl: emulator.urls.apiBaseUrl, realmId: REALM, tokens });
    const statements: string[] = [];
    const query = client.query.bind(client);
    client.query = (statement: string) => {
      statements.push(statement);
      return query(statement);
    };
    const listed = await new QboAccountingTarget(client).listSalesBetween({ from: '2025-03-10', to: '2025-03-11' });
    expect(listed).toHaveLength(1002);
    expect(new Set(listed.map((d) => d.id)).size).toBe(1002);
    expect(listed.filter((d) => d.docNumber === 'L-2')).toEqual([
      expect.objectContaining({ date: '2025-03-11', total: '120.31', kind: 'sales receipt', currency: 'USD', marker: 'Shopify order #1001 from demo.myshopify.com' }),
    ]);
    expect(statements).toEqual([
      "select * from SalesReceipt where TxnDate >= '2025-03-10' AND TxnDate <= '2025-03-11' STARTPOSITION 1 MAXRESULTS 1000",
      "select * from SalesReceipt where TxnDate >= '2025-03-10' AND TxnDate <= '2025-03-11' STARTPOSITION 1001 MAXRESULTS 1000",
    ]);

    const found = await target.findBookedSale(numbered('L-1'));
    expect(found).toMatchObject({ id: inRange.id, docNumber: 'L-1' });
    // One page of the lookup (QBO's default size) is enough: one more receipt of the order is what stops the route.
    expect(found?.sameNumber?.length).toBeGreaterThan(0);
    expect(found?.sameNumber?.[0]).toMatchObject({ docNumber: 'L-1', marker: expect.stringContaining('(id 71), booked by ledgerbridge.') });
  });
});
