import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingTarget, LedgerSale } from '../domain/accounting-target.js';
import type { AccessTokenProvider, IntegrationCredentials } from '../domain/credentials.js';
import { bookedOrderHeader } from '../domain/ledger-document-ownership.js';
import { DailyQuotaExhaustedError, PlatformUnavailableError } from '../domain/platform-errors.js';
import { startXeroEmulator, type RunningXeroEmulator } from '../emulators/xero/emulator.js';
import type { IdempotencyKeyReuse, IdempotencyMode } from '../emulators/xero/options.js';
import type { AccountingPlatform } from '../platforms/platform.js';
import { createXeroPlatform } from '../platforms/xero/xero-platform.js';

/**
 * The product's Xero target under every variant the emulator plays for what is unconfirmed about Xero
 * (emulators/xero/FIDELITY.md): whatever Xero does with a repeated Idempotency-Key, and however `where` compares
 * text, a sale whose answers are lost is booked once and paid once, and a customer is created once.
 */
const TENANT = 'cccccccc-0000-4000-8000-000000000001';
const REDIRECT_URI = 'http://127.0.0.1:1/cb';

let emulator: RunningXeroEmulator;
let platform: AccountingPlatform;
let target: AccountingTarget;
let receiving: AccountingTarget;

class FixedTokens implements AccessTokenProvider {
  constructor(private credentials: IntegrationCredentials) {}
  async getAccessToken(): Promise<string> {
    return this.credentials.accessToken;
  }
  async refreshAfterRejection(): Promise<string | null> {
    const next = await platform.refreshTokens(this.credentials, {});
    if (!next) return null;
    this.credentials = next;
    return next.accessToken;
  }
}

/** The query an order sync makes for the document of order `docNumber`. */
function numbered(docNumber: string) {
  return { docNumber, order: { id: `gid://shopify/Order/${docNumber}`, name: `#${docNumber}` } };
}

function sale(docNumber: string, customerId: string): LedgerSale {
  return {
    docNumber,
    date: '2026-11-21',
    currency: 'GBP',
    customerId,
    taxesIncluded: false,
    lines: [{ itemId: 'Mug-1', description: 'Mug', quantity: 3, unitPrice: '7.99', amount: '23.97', taxCodeId: 'OUTPUT2', discount: '1.00', tax: '4.59' }],
    discount: '1.00',
    shipping: { amount: '3.50', taxCodeId: 'OUTPUT2', tax: '0.70' },
    totalTax: '5.29',
    total: '31.76',
    marker: bookedOrderHeader('Shopify #1', `#${docNumber}`, `gid://shopify/Order/${docNumber}`),
    internalNote: bookedOrderHeader('Shopify #1', `#${docNumber}`, `gid://shopify/Order/${docNumber}`),
    customerMemo: null,
  };
}

beforeAll(async () => {
  emulator = await startXeroEmulator({
    clientId: 'v-id',
    clientSecret: 'v-secret',
    // Limits are covered in xero-emulator-limits.test.ts; here they would only throttle the test itself.
    rateLimits: { perMinute: 100_000, perDay: 1_000_000 },
    organisations: [{ tenantId: TENANT, name: 'Variant Books', items: [{ code: 'Mug-1', name: 'Mug', salesAccountCode: '200', salesTaxType: 'OUTPUT2' }], contacts: [{ name: 'Ann Lee', email: 'Ann@Example.com' }] }],
  });
  platform = createXeroPlatform({ clientId: 'v-id', clientSecret: 'v-secret', endpoints: emulator.urls });
  const consent = await fetch(platform.authorizeUrl({}, 's', REDIRECT_URI), { redirect: 'manual' });
  const { account, credentials } = await platform.completeAuthorization(Object.fromEntries(new URL(consent.headers.get('location')!).searchParams), REDIRECT_URI);
  target = platform.createTarget({ integrationId: 'variants', account, tokens: new FixedTokens(credentials) });
  const receivingPlatform = createXeroPlatform({ clientId: 'v-id', clientSecret: 'v-secret', endpoints: emulator.urls, saleDocument: 'receive-money' });
  receiving = receivingPlatform.createTarget({ integrationId: 'variants-rm', account, tokens: new FixedTokens(credentials) });
});

afterAll(async () => {
  await emulator?.close();
});

const VARIANTS: Array<{ mode: IdempotencyMode; reuse: IdempotencyKeyReuse; where: 'case-insensitive' | 'case-sensitive' }> = [
  { mode: 'replay-all', reuse: 'reject', where: 'case-insensitive' },
  { mode: 'replay-all', reuse: 'replay-first', where: 'case-sensitive' },
  { mode: 'replay-success', reuse: 'reject', where: 'case-sensitive' },
  { mode: 'ignore', reuse: 'reject', where: 'case-insensitive' },
  { mode: 'ignore', reuse: 'replay-first', where: 'case-sensitive' },
];

describe.each(VARIANTS)('Idempotency-Key $mode / key reuse $reuse / where $where', ({ mode, reuse, where }) => {
  const tag = `${mode}-${reuse}-${where}`;

  it('books one invoice and one payment when the invoice’s answer, then the payment’s, are lost', async () => {
    emulator.control.setIdempotency(mode, reuse);
    emulator.control.setWhereStringMatch(where);
    const customer = await target.findCustomer({ email: 'ann@example.com', displayName: 'Ann Lee' });
    expect(customer).not.toBeNull();
    const number = `V-${tag}`;
    emulator.control.dropNextWrites(1);
    expect(await target.bookSale(sale(number, customer!.id), `${tag}:1`).catch((e: unknown) => e)).toBeInstanceOf(PlatformUnavailableError);
    // The retry's payment answer is lost as well.
    emulator.control.dropNextWrites(1);
    expect(await target.bookSale(sale(number, customer!.id), `${tag}:1`).catch((e: unknown) => e)).toBeInstanceOf(PlatformUnavailableError);
    const ref = await target.bookSale(sale(number, customer!.id), `${tag}:2`);
    const invoices = emulator.control.invoices(TENANT).filter((invoice) => invoice.InvoiceNumber === number);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ Status: 'PAID', Total: 31.76, AmountDue: 0 });
    expect(emulator.control.payments(TENANT).filter((p) => (p.Invoice as { InvoiceID: string }).InvoiceID === ref.id)).toHaveLength(1);
    expect(ref.total).toBe('31.76');
  });

  it('receives money once when the answer is lost (no unique number: the lookup by Reference is the guard)', async () => {
    const customer = await target.findCustomer({ email: null, displayName: 'Ann Lee' });
    const number = `R-${tag}`;
    emulator.control.dropNextWrites(1);
    expect(await receiving.bookSale(sale(number, customer!.id), `${tag}:r`).catch((e: unknown) => e)).toBeInstanceOf(PlatformUnavailableError);
    const ref = await receiving.bookSale(sale(number, customer!.id), `${tag}:r2`);
    expect(emulator.control.bankTransactions(TENANT).filter((t) => String(t.Reference).startsWith(`${number} `))).toHaveLength(1);
    expect(ref.total).toBe('31.76');
  });

  it('creates a customer once when the answer is lost', async () => {
    const name = `Cust ${tag}`;
    const input = { displayName: name, givenName: null, familyName: null, email: `${tag}@example.com`, currency: 'GBP' };
    emulator.control.dropNextWrites(1);
    expect(await target.createCustomer(input, `${tag}:customer`).catch((e: unknown) => e)).toBeInstanceOf(PlatformUnavailableError);
    const found = await target.findCustomer({ email: input.email, displayName: name });
    const created = found ?? (await target.createCustomer(input, `${tag}:customer`));
    expect(created.displayName).toBe(name);
    expect(emulator.control.contacts(TENANT).filter((c) => c.Name === name)).toHaveLength(1);
  });
});

describe.each(['fixed', 'rolling'] as const)('limits counted in %s windows', (kind) => {
  it('parks on the used-up day until Retry-After says, then books', async () => {
    emulator.control.setRateWindows(kind);
    emulator.control.setRateLimits({ perDay: 5000 });
    try {
      emulator.control.spendDailyCalls(TENANT, 5000);
      const error = await target.findBookedSale(numbered(`Q-${kind}`)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DailyQuotaExhaustedError);
      const quota = error as DailyQuotaExhaustedError;
      expect(Date.parse(quota.resetsAt) - Date.now()).toBeGreaterThan(23 * 3600_000);
      emulator.control.advanceClock(quota.retryAfterMs);
      expect(await target.findBookedSale(numbered(`Q-${kind}`))).toBeNull();
    } finally {
      emulator.control.setRateLimits({ perDay: 1_000_000 });
      emulator.control.setRateWindows('fixed');
    }
  });
});
