import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AccountingTarget, LedgerSale } from '../domain/accounting-target.js';
import type { AccessTokenProvider, IntegrationCredentials } from '../domain/credentials.js';
import { bookedOrderHeader } from '../domain/ledger-document-ownership.js';
import {
  CredentialsInvalidError,
  DailyQuotaExhaustedError,
  DisplayNameTakenError,
  LedgerRejectedError,
  PlatformUnavailableError,
  RateLimitedError,
} from '../domain/platform-errors.js';
import { startXeroEmulator, type RunningXeroEmulator } from '../emulators/xero/emulator.js';
import type { AccountingPlatform, IntegrationAccount } from '../platforms/platform.js';
import { createXeroPlatform } from '../platforms/xero/xero-platform.js';

const SHOP = 'aaaaaaaa-0000-4000-8000-000000000001';
const OTHER = 'aaaaaaaa-0000-4000-8000-000000000002';
const REDIRECT_URI = 'http://127.0.0.1:1/integrations/xero/callback';

let emulator: RunningXeroEmulator;
let platform: AccountingPlatform;

/** Stand-in for db/credential-store: keeps the pair in memory and refreshes through the platform. */
class MemoryTokenProvider implements AccessTokenProvider {
  constructor(
    public credentials: IntegrationCredentials,
    private readonly account: IntegrationAccount,
  ) {}

  async getAccessToken(): Promise<string> {
    return this.credentials.accessToken;
  }

  async refreshAfterRejection(rejectedToken: string): Promise<string | null> {
    if (rejectedToken !== this.credentials.accessToken) return this.credentials.accessToken;
    const next = await platform.refreshTokens(this.credentials, this.account).catch((error: unknown) => {
      if (error instanceof CredentialsInvalidError) return null;
      throw error;
    });
    if (next === null) return null;
    this.credentials = next;
    return next.accessToken;
  }
}

async function connect(query: Record<string, string> = {}): Promise<{ account: IntegrationAccount; credentials: IntegrationCredentials }> {
  const response = await fetch(platform.authorizeUrl({}, 'state-123', REDIRECT_URI), { redirect: 'manual' });
  const callback = new URL(response.headers.get('location')!);
  expect(callback.searchParams.get('state')).toBe('state-123');
  return platform.completeAuthorization({ ...Object.fromEntries(callback.searchParams), ...query }, REDIRECT_URI);
}

async function connectedTarget(): Promise<{ target: AccountingTarget; tokens: MemoryTokenProvider; account: IntegrationAccount }> {
  emulator.control.authorizeAs([SHOP]);
  const { account, credentials } = await connect();
  const tokens = new MemoryTokenProvider(credentials, account);
  return { target: platform.createTarget({ integrationId: 'int-1', account, tokens }), tokens, account };
}

/** The query an order sync makes for the document of order `docNumber`. */
function numbered(docNumber: string) {
  return { docNumber, order: { id: `gid://shopify/Order/${docNumber}`, name: `#${docNumber}` } };
}

function sale(docNumber: string, overrides: Partial<LedgerSale> = {}): LedgerSale {
  return {
    docNumber,
    date: '2026-11-20',
    currency: 'GBP',
    customerId: emulator.control.contacts(SHOP)[0]!.ContactID as string,
    taxesIncluded: true,
    // A UK shop: prices include 20 % VAT; shipping too.
    lines: [
      { itemId: 'TEE-1', description: 'Tee', quantity: 2, unitPrice: '24.00', amount: '48.00', taxCodeId: 'OUTPUT2', discount: '0.00', tax: '8.00' },
      { itemId: 'BOOK-1', description: 'Book', quantity: 1, unitPrice: '12.00', amount: '12.00', taxCodeId: 'ZERORATEDOUTPUT', discount: '0.00', tax: '0.00' },
    ],
    discount: '0.00',
    shipping: { amount: '6.00', taxCodeId: 'OUTPUT2', tax: '1.00' },
    totalTax: '9.00',
    total: '66.00',
    marker: `${bookedOrderHeader('Shopify #1', `#${docNumber}`, `gid://shopify/Order/${docNumber}`)}`,
    internalNote: `${bookedOrderHeader('Shopify #1', `#${docNumber}`, `gid://shopify/Order/${docNumber}`)}\nCustomer note: by Friday`,
    customerMemo: null,
    ...overrides,
  };
}

function invoicesNumbered(docNumber: string) {
  return emulator.control.invoices(SHOP).filter((invoice) => invoice.InvoiceNumber === docNumber);
}

beforeAll(async () => {
  emulator = await startXeroEmulator({
    clientId: 'lb-xero',
    clientSecret: 'lb-xero-secret',
    // The minute limit is covered in xero-emulator-limits.test.ts and set per test below; here it would only throttle the test.
    rateLimits: { perMinute: 100_000 },
    organisations: [
      {
        tenantId: SHOP,
        name: 'Demo Shop Ltd',
        items: [
          { code: 'TEE-1', name: 'Tee', salesAccountCode: '200', salesTaxType: 'OUTPUT2' },
          { code: 'BOOK-1', name: 'Book', salesAccountCode: '200', salesTaxType: 'ZERORATEDOUTPUT' },
          { code: 'OLD-1', name: 'Old lamp', isSold: false },
        ],
        contacts: [{ name: "Dara O'Brien", email: 'dara@example.com' }, { name: 'Jane Doe' }],
      },
      { tenantId: OTHER, name: 'Second Shop Ltd' },
    ],
  });
  platform = createXeroPlatform({ clientId: 'lb-xero', clientSecret: 'lb-xero-secret', endpoints: emulator.urls, defaultRetryAfterMs: 1234 });
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  emulator.control.clearFaults();
});

describe('createXeroPlatform: connecting', () => {
  it('connects through xero-node against the emulator and reports the organisation', async () => {
    expect(platform).toMatchObject({ id: 'xero', displayName: 'Xero', role: 'accounting' });
    const { target, account, tokens } = await connectedTarget();
    expect(account).toEqual({ tenantId: SHOP });
    expect(Date.parse(tokens.credentials.accessTokenExpiresAt!) - Date.now()).toBeGreaterThan(1700_000);
    expect(Date.parse(tokens.credentials.accessTokenExpiresAt!) - Date.now()).toBeLessThanOrEqual(1800_000);
    expect(await target.checkConnection()).toEqual({ accountName: 'Demo Shop Ltd', grantedScopes: null });
  });

  it('lets the operator pick one of several organisations granted at once', async () => {
    emulator.control.authorizeAs([SHOP, OTHER]);
    const picked = await connect({ tenantId: OTHER });
    expect(picked.account).toEqual({ tenantId: OTHER });
    emulator.control.authorizeAs([SHOP]);
  });

  it('connects with the openid scope too: xero-node verifies the emulator’s signed id_token', async () => {
    emulator.control.authorizeAs([SHOP]);
    const withOpenId = createXeroPlatform({
      clientId: 'lb-xero',
      clientSecret: 'lb-xero-secret',
      endpoints: emulator.urls,
      scopes: ['openid', 'profile', 'email', 'offline_access', 'accounting.transactions', 'accounting.contacts', 'accounting.settings'],
    });
    const consent = await fetch(withOpenId.authorizeUrl({}, 'state-oidc', REDIRECT_URI), { redirect: 'manual' });
    const { account, credentials } = await withOpenId.completeAuthorization(Object.fromEntries(new URL(consent.headers.get('location')!).searchParams), REDIRECT_URI);
    expect(account.tenantId).toBe(SHOP);
    expect(credentials.scopes).toContain('openid');
    expect((await withOpenId.refreshTokens(credentials, account))!.refreshToken).not.toBe(credentials.refreshToken);
  });

  it('rotates refresh tokens and turns a revoked grant into Reconnect required', async () => {
    const { account, credentials } = await connect();
    const next = await platform.refreshTokens(credentials, account);
    expect(next!.refreshToken).not.toBe(credentials.refreshToken);
    // Within Xero's 30-minute grace the previous token still works (a lost answer can be retried) ...
    expect((await platform.refreshTokens(credentials, account))!.accessToken).toBeTruthy();
    // ... after it, it does not.
    emulator.control.advanceClock(31 * 60_000);
    const stale = await platform.refreshTokens(credentials, account).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(CredentialsInvalidError);
    expect((stale as CredentialsInvalidError).problem).toBe('invalid_grant');
    expect((stale as Error).message).toMatch(/Reconnect the integration/);
  });

  it('refreshes once on an expired access token and goes on', async () => {
    const { target, tokens } = await connectedTarget();
    const before = tokens.credentials.accessToken;
    emulator.control.expireAccessTokens();
    expect((await target.listTaxCodes()).length).toBeGreaterThan(0);
    expect(tokens.credentials.accessToken).not.toBe(before);
  });

  it('reports a removed organisation as Reconnect required, from the health check and from any call', async () => {
    emulator.control.authorizeAs([SHOP]);
    const { target } = await connectedTarget();
    emulator.control.removeTenant(SHOP);
    const probe = await target.checkConnection().catch((e: unknown) => e);
    expect(probe).toBeInstanceOf(CredentialsInvalidError);
    expect((probe as Error).message).toMatch(/disconnected in Xero\).*Reconnect/);
    const call = await target.listItems().catch((e: unknown) => e);
    expect(call).toBeInstanceOf(CredentialsInvalidError);
  });
});

describe('XeroAccountingTarget', () => {
  it('finds contacts by email, then by name, and creates one with the Idempotency-Key', async () => {
    const { target } = await connectedTarget();
    expect(await target.findCustomer({ email: 'DARA@example.com', displayName: 'nobody' })).toMatchObject({ displayName: "Dara O'Brien" });
    expect(await target.findCustomer({ email: null, displayName: 'Jane Doe' })).toMatchObject({ displayName: 'Jane Doe', email: null });
    expect(await target.findCustomer({ email: 'new@example.com', displayName: 'New "Quoted" Person' })).toBeNull();
    const created = await target.createCustomer(
      { displayName: 'New "Quoted" Person', givenName: 'New', familyName: 'Person', email: 'new@example.com', currency: 'GBP' },
      'route-1:order-9:customer',
    );
    expect(created).toMatchObject({ displayName: 'New "Quoted" Person', email: 'new@example.com' });
    const again = await target.createCustomer(
      { displayName: 'New "Quoted" Person', givenName: 'New', familyName: 'Person', email: 'new@example.com', currency: 'GBP' },
      'another-key',
    );
    expect(again.id).toBe(created.id);
    // A stranger keeps the name (another email, or none to tell them apart): never adopted, the engine tries the next name.
    for (const email of ['other@example.com', null]) {
      const stranger = await target
        .createCustomer({ displayName: 'JANE DOE', givenName: 'Jane', familyName: 'Doe', email, currency: 'GBP' }, `cust:${email}`)
        .catch((error: unknown) => error);
      expect(stranger).toBeInstanceOf(DisplayNameTakenError);
    }
    expect(emulator.control.contacts(SHOP).filter((c) => String(c.Name).toLowerCase() === 'jane doe')).toHaveLength(1);
    const writes = emulator.control.requestLog().filter((r) => r.method !== 'GET' && r.url.includes('/Contacts'));
    expect(writes.every((r) => r.idempotencyKey !== null && r.idempotencyKey.length <= 128)).toBe(true);
  });

  it('finds items by code and lists tax rates as tax codes', async () => {
    const { target } = await connectedTarget();
    const items = await target.findItemsBySku(['TEE-1', 'OLD-1', 'MISSING']);
    expect(items.map((i) => i.sku).sort()).toEqual(['OLD-1', 'TEE-1']);
    expect(items.find((i) => i.sku === 'OLD-1')!.active).toBe(false);
    const codes = await target.listTaxCodes();
    expect(codes).toContainEqual({ id: 'OUTPUT2', name: '20% (VAT on Income)', ratePercent: 20, active: true });
    expect(codes.find((c) => c.id === 'INPUT2')!.active).toBe(false);
    expect(await target.taxSetup()).toEqual({ mode: 'per-line', country: 'GB' });
  });

  it('books a sale as an authorised invoice and its payment, totals as the shop charged', async () => {
    const { target } = await connectedTarget();
    expect(await target.findBookedSale(numbered('1001'))).toBeNull();
    const ref = await target.bookSale(sale('1001'), 'route-1:order-1001:1');
    expect(ref).toMatchObject({ docNumber: '1001', total: '66.00' });
    expect(ref.marker).toMatch(/^Shopify #1 order #1001 .* booked by ledgerbridge\.$/);
    const [invoice] = invoicesNumbered('1001');
    expect(invoice).toMatchObject({ Status: 'PAID', LineAmountTypes: 'Inclusive', TotalTax: 9, Total: 66, AmountDue: 0 });
    expect(emulator.control.payments(SHOP).filter((p) => (p.Invoice as { InvoiceID: string }).InvoiceID === ref.id)).toHaveLength(1);
    // Booking again finds it: nothing new is written.
    const again = await target.bookSale(sale('1001'), 'route-1:order-1001:2');
    expect(again.id).toBe(ref.id);
    expect(invoicesNumbered('1001')).toHaveLength(1);
    expect(await target.findBookedSale(numbered('1001'))).toMatchObject({ id: ref.id, total: '66.00' });
  });

  it('books one invoice when the answer to the write is lost, and finishes a payment a crash left out', async () => {
    const { target } = await connectedTarget();
    emulator.control.dropNextWrites(1);
    const lost = await target.bookSale(sale('1002'), 'route-1:order-1002:1').catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(PlatformUnavailableError);
    expect(invoicesNumbered('1002')).toHaveLength(1);
    expect(invoicesNumbered('1002')[0]!.Status).toBe('AUTHORISED');
    // The retry finds the invoice by number and pays it, once.
    const ref = await target.bookSale(sale('1002'), 'route-1:order-1002:1');
    expect(invoicesNumbered('1002')).toHaveLength(1);
    expect(invoicesNumbered('1002')[0]!.Status).toBe('PAID');
    expect(emulator.control.payments(SHOP).filter((p) => (p.Invoice as { InvoiceID: string }).InvoiceID === ref.id)).toHaveLength(1);
  });

  it('answers a lookup with an invoice entered by hand without paying it, and says whose a booked invoice is', async () => {
    const { target } = await connectedTarget();
    const contact = emulator.control.contacts(SHOP)[0]!;
    const typed = await fetch(`${emulator.urls.accountingApiBasePath}/Invoices`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${(await connect()).credentials.accessToken}`, 'xero-tenant-id': SHOP, 'content-type': 'application/json' },
      body: JSON.stringify({ Invoices: [{ Type: 'ACCREC', Contact: { ContactID: contact.ContactID }, InvoiceNumber: '1010', DueDate: '2026-11-20', Status: 'AUTHORISED', Reference: 'phone order', LineItems: [{ ItemCode: 'TEE-1', Quantity: 1, UnitAmount: 24 }] }] }),
    });
    expect(typed.status).toBe(200);
    expect(await target.findBookedSale(numbered('1010'))).toMatchObject({ docNumber: '1010', total: '28.80', marker: 'phone order' });
    expect(invoicesNumbered('1010')[0]).toMatchObject({ Status: 'AUTHORISED', AmountPaid: 0 });
    await target.bookSale(sale('1011'), 'k-1011');
    expect((await target.findBookedSale(numbered('1011')))!.marker).toBe(bookedOrderHeader('Shopify #1', '#1011', 'gid://shopify/Order/1011'));
  });

  it('turns a grant the person revoked into Reconnect required on the next call', async () => {
    const { target, tokens } = await connectedTarget();
    const revoked = await fetch(emulator.urls.revocationEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('lb-xero:lb-xero-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.credentials.refreshToken! }),
    });
    expect(revoked.status).toBe(200);
    const error = await target.findBookedSale(numbered('1001')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialsInvalidError);
    expect((error as Error).message).toMatch(/Reconnect the integration/);
  });

  it('turns Xero refusals into the bookkeeper messages QuickBooks Online gives', async () => {
    const { target } = await connectedTarget();
    const badTax = await target
      .bookSale(sale('1003', { lines: [{ ...sale('1003').lines[0]!, taxCodeId: 'INPUT2' }], shipping: null, total: '48.00' }), 'k-1003')
      .catch((e: unknown) => e);
    expect(badTax).toBeInstanceOf(LedgerRejectedError);
    expect((badTax as Error).message).toMatch(/^Xero rejected sales invoice 1003: something it refers to \(an item, customer, tax code or account\) is inactive or deleted/);
    const badItem = await target.bookSale(sale('1004', { lines: [{ ...sale('1004').lines[0]!, itemId: 'NOPE' }] }), 'k-1004').catch((e: unknown) => e);
    expect((badItem as LedgerRejectedError).code).toBe('unknown-item');
    const tooLong = await target.createCustomer({ displayName: 'x'.repeat(256), givenName: null, familyName: null, email: null, currency: 'GBP' }, 'k-long').catch((e: unknown) => e);
    expect((tooLong as Error).message).toMatch(/Contact Name is longer than Xero allows \(at most 255 characters\)/);
  });

  it('books money received instead when so configured: found by its number, once, with discounts folded into lines', async () => {
    emulator.control.authorizeAs([SHOP]);
    const receiving = createXeroPlatform({ clientId: 'lb-xero', clientSecret: 'lb-xero-secret', endpoints: emulator.urls, saleDocument: 'receive-money' });
    const { account, credentials } = await connect();
    const target = receiving.createTarget({ integrationId: 'int-rm', account, tokens: new MemoryTokenProvider(credentials, account) });
    const discounted = sale('2001', {
      lines: [{ itemId: 'TEE-1', description: 'Tee', quantity: 3, unitPrice: '24.00', amount: '72.00', taxCodeId: 'OUTPUT2', discount: '6.00', tax: '11.00' }],
      shipping: null,
      totalTax: '11.00',
      total: '66.00',
    });
    expect(await target.findBookedSale(numbered('2001'))).toBeNull();
    emulator.control.dropNextWrites(1);
    expect(await target.bookSale(discounted, 'k-2001').catch((e: unknown) => e)).toBeInstanceOf(PlatformUnavailableError);
    const ref = await target.bookSale(discounted, 'k-2001');
    expect(ref).toMatchObject({ docNumber: '2001', total: '66.00', marker: bookedOrderHeader('Shopify #1', '#2001', 'gid://shopify/Order/2001') });
    const received = emulator.control.bankTransactions(SHOP).filter((t) => String(t.Reference).startsWith('2001 '));
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ Type: 'RECEIVE', Status: 'AUTHORISED', Total: 66, TotalTax: 11, LineAmountTypes: 'Inclusive' });
    expect((received[0]!.LineItems as Array<Record<string, unknown>>)[0]).toMatchObject({ Quantity: 1, UnitAmount: 66, Description: 'Tee (3 × 24.00, less 6.00 discount)' });
    // Sale "200" is another sale: its lookup does not see the money of sale 2001.
    expect(await target.findBookedSale(numbered('200'))).toBeNull();
    expect(await target.findBookedSale(numbered('2001'))).toMatchObject({ id: ref.id });
  });

  it('lists the sales of a date range for an audit: every page of invoices, and on a receive-money route its money received and only our invoices', async () => {
    const { target, tokens } = await connectedTarget();
    const contactId = emulator.control.contacts(SHOP)[0]!.ContactID as string;
    // 101 invoices on one day, straight through the API: more than Xero's page of 100.
    const invoice = (number: string, date: string, reference: string | null) => ({
      Type: 'ACCREC',
      Contact: { ContactID: contactId },
      Date: date,
      DueDate: date,
      Status: 'AUTHORISED',
      InvoiceNumber: number,
      ...(reference ? { Reference: reference } : {}),
      LineItems: [{ ItemCode: 'BOOK-1', Quantity: 1, UnitAmount: 5 }],
    });
    const marker = (n: string) => bookedOrderHeader('Shopify #1', `#${n}`, `gid://shopify/Order/${n}`);
    const put = async (invoices: unknown[]) => {
      const answer = await fetch(`${emulator.urls.accountingApiBasePath}/Invoices`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${await tokens.getAccessToken()}`, 'xero-tenant-id': SHOP, accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ Invoices: invoices }),
      });
      expect(answer.status).toBe(200);
    };
    await put(Array.from({ length: 101 }, (_, i) => invoice(`L-${i}`, '2026-10-05', marker(`L-${i}`))));
    await put([invoice('L-before', '2026-10-04', marker('L-before')), invoice('L-after', '2026-10-06', null)]);
    const listed = await target.listSalesBetween!({ from: '2026-10-05', to: '2026-10-05' });
    expect(listed).toHaveLength(101);
    expect(listed[0]).toMatchObject({ kind: 'invoice', date: '2026-10-05', total: '5.00', currency: 'GBP', marker: marker('L-0') });

    emulator.control.authorizeAs([SHOP]);
    const receiving = createXeroPlatform({ clientId: 'lb-xero', clientSecret: 'lb-xero-secret', endpoints: emulator.urls, saleDocument: 'receive-money' });
    const { account, credentials } = await connect();
    const received = receiving.createTarget({ integrationId: 'int-rm-list', account, tokens: new MemoryTokenProvider(credentials, account) });
    const money = await received.bookSale(sale('L-rm', { date: '2026-10-06' }), 'k-l-rm');
    // The 6th holds the money received, the invoice entered by hand (left out: not ours) and none of ours.
    expect(await received.listSalesBetween!({ from: '2026-10-06', to: '2026-10-06' })).toEqual([
      { id: money.id, docNumber: 'L-rm', date: '2026-10-06', total: '66.00', currency: 'GBP', kind: 'receive-money transaction', marker: marker('L-rm') },
    ]);
    // The 4th: an invoice of ours, booked before the route chose money received.
    expect((await received.listSalesBetween!({ from: '2026-10-04', to: '2026-10-04' })).map((d) => [d.kind, d.docNumber])).toEqual([['invoice', 'L-before']]);
  });

  it('waits out a minute throttle with Xero’s Retry-After', async () => {
    const { target } = await connectedTarget();
    emulator.control.setRateLimits({ perMinute: 0 });
    try {
      const error = await target.listItems().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect(error).not.toBeInstanceOf(DailyQuotaExhaustedError);
      expect((error as RateLimitedError).retryAfterMs).toBeGreaterThan(0);
      expect((error as RateLimitedError).retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((error as RateLimitedError).detail).toMatch(/x-rate-limit-problem=minute/);
    } finally {
      emulator.control.setRateLimits({ perMinute: 100_000 });
    }
  });

  it('waits a second when too many calls are in progress (Xero sends no Retry-After then)', async () => {
    const { target } = await connectedTarget();
    emulator.control.setRateLimits({ concurrent: 0 });
    try {
      const error = await target.listItems().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RateLimitedError);
      expect((error as RateLimitedError).retryAfterMs).toBe(1000);
    } finally {
      emulator.control.setRateLimits({ concurrent: 5 });
    }
  });

  it('says when the day’s quota resets and parks instead of failing; the next day it works', async () => {
    const { target } = await connectedTarget();
    emulator.control.spendDailyCalls(SHOP, 5000);
    const error = await target.listItems().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DailyQuotaExhaustedError);
    const quota = error as DailyQuotaExhaustedError;
    expect(quota.retryAfterMs).toBeGreaterThan(60 * 60_000);
    expect(quota.message).toMatch(/daily limit of API calls for this organisation is used up; orders wait .* resets at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    emulator.control.advanceClock(quota.retryAfterMs);
    emulator.control.expireAccessTokens();
    expect((await target.listItems()).length).toBeGreaterThan(0);
  });
});
