import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingTarget } from '../domain/accounting-target.js';
import type { AccessTokenProvider, IntegrationCredentials } from '../domain/credentials.js';
import { LedgerRejectedError } from '../domain/platform-errors.js';
import { startQboEmulator, type QboEmulatorOptions, type RunningQboEmulator } from '../emulators/qbo/emulator.js';
import { createQboPlatform, qboEndpointsAt } from '../platforms/qbo/qbo-platform.js';
import { QBO_LIMITS } from '../platforms/qbo/qbo-limits.js';

/**
 * Where QuickBooks' behaviour is unconfirmed the emulator plays each variant (emulators/qbo/FIDELITY.md §4);
 * the product's QBO target must be safe under every one of them.
 */

const REALM = '9130000000000021';
const REDIRECT_URI = 'http://127.0.0.1:1/integrations/qbo/callback';

class FixedTokens implements AccessTokenProvider {
  constructor(private readonly credentials: IntegrationCredentials) {}
  async getAccessToken(): Promise<string> {
    return this.credentials.accessToken;
  }
  async refreshAfterRejection(): Promise<string | null> {
    return null;
  }
}

const VARIANTS: Pick<QboEmulatorOptions, 'fieldLengths' | 'queryStringMatch'>[] = [
  { fieldLengths: 'api-reference', queryStringMatch: 'case-insensitive' },
  { fieldLengths: 'xsd-documentation', queryStringMatch: 'case-sensitive' },
];

describe.each(VARIANTS)('the product against QBO playing $fieldLengths lengths and $queryStringMatch queries', (variant) => {
  let emulator: RunningQboEmulator;
  let target: AccountingTarget;

  beforeAll(async () => {
    emulator = await startQboEmulator({
      clientId: 'variant-client',
      clientSecret: 'variant-secret',
      rateLimits: { perSecond: 10_000, perMinute: 100_000 },
      ...variant,
      companies: [
        {
          realmId: REALM,
          companyName: 'Variant Books',
          items: [{ id: '11', name: 'Widget', sku: 'WID-1' }],
          customers: [{ id: '42', displayName: 'Jane Doe', email: 'Jane.Doe@example.com' }],
        },
      ],
    });
    const platform = createQboPlatform({
      clientId: 'variant-client',
      clientSecret: 'variant-secret',
      environment: 'sandbox',
      ...qboEndpointsAt(emulator.urls),
    });
    emulator.control.authorizeAs(REALM);
    const consent = await fetch(platform.authorizeUrl({}, 'state-v', REDIRECT_URI), { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    const { account, credentials } = await platform.completeAuthorization(Object.fromEntries(callback.searchParams), REDIRECT_URI);
    target = platform.createTarget({ integrationId: 'int-variant', account, tokens: new FixedTokens(credentials) });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('finds what it looks up by the exact values it stores: customer name, item SKU', async () => {
    expect(await target.findCustomer({ email: null, displayName: 'Jane Doe' })).toMatchObject({ id: '42' });
    expect((await target.findItemsBySku(['WID-1'])).map((item) => item.id)).toEqual(['11']);
    // The variant is really played: a lookup in another case finds the customer only when matching ignores case.
    const otherCase = await target.findCustomer({ email: null, displayName: 'JANE DOE' });
    expect(otherCase?.id ?? null).toBe(variant.queryStringMatch === 'case-insensitive' ? '42' : null);
  });

  it('never creates a second customer whose name differs only in case: it adopts the existing one or reports a duplicate name', async () => {
    const outcome = await target
      .createCustomer({ displayName: 'jane doe', givenName: null, familyName: null, email: 'jane.doe@example.com', currency: 'USD' }, 'cust:variant:jane')
      .then((customer) => ({ customer }))
      .catch((error: unknown) => ({ error }));
    if ('customer' in outcome) {
      expect(variant.queryStringMatch).toBe('case-insensitive');
      expect(outcome.customer.id).toBe('42');
    } else {
      // The sync answers a duplicate name by trying its next name form (activities/order-sync-activities.ts).
      expect(outcome.error).toBeInstanceOf(LedgerRejectedError);
      expect((outcome.error as LedgerRejectedError).code).toBe('6240');
    }
    expect(emulator.control.documents(REALM, 'Customer')).toEqual([]);
  });

  it('creates customers whose names fit the product limits', async () => {
    const fits = 'G'.repeat(QBO_LIMITS.personName);
    const created = await target.createCustomer(
      { displayName: 'Limit Person', givenName: fits, familyName: 'F'.repeat(QBO_LIMITS.personName), email: 'limit@example.com', currency: 'USD' },
      'cust:variant:limit',
    );
    expect(created.displayName).toBe('Limit Person');
    expect(emulator.control.documents(REALM, 'Customer')).toHaveLength(1);
  });
});

/**
 * A US order whose tax Shopify rounded per line (8.13 × 4 % = 0.3252 → 0.33, 20.13 × 4 % = 0.8052 → 0.81: 1.14)
 * while QuickBooks rounds once per rate (28.26 × 4 % = 1.1304 → 1.13). The product sends the shop's tax as the
 * override; whatever QuickBooks does with it, the booked total is the shop's or visibly not (the sync then parks).
 */
const OVERRIDE_VARIANTS = ['honoured', 'ignored', 'ignored-with-automated-sales-tax'] as const;

describe.each(OVERRIDE_VARIANTS)('a cent of US rounding against QBO playing a %s TotalTax override', (override) => {
  const MANUAL = '9130000000000031';
  const AUTOMATED = '9130000000000032';
  let emulator: RunningQboEmulator;
  const targets = new Map<string, AccountingTarget>();

  const sale = (docNumber: string, saleTaxCodeId: string | null) => ({
    docNumber,
    date: '2026-11-20',
    currency: 'USD',
    customerId: '42',
    taxesIncluded: false,
    lines: [
      { itemId: '11', description: 'Mug', quantity: 1, unitPrice: '8.13', amount: '8.13', taxCodeId: null, taxable: true, discount: '0.00', tax: '0.33' },
      { itemId: '11', description: 'Mug, large', quantity: 1, unitPrice: '20.13', amount: '20.13', taxCodeId: null, taxable: true, discount: '0.00', tax: '0.81' },
    ],
    discount: '0.00',
    shipping: null,
    saleTaxCodeId,
    totalTax: '1.14',
    total: '29.40',
    marker: `Shopify order #${docNumber}`,
    internalNote: `Shopify order #${docNumber}`,
    customerMemo: null,
  });

  beforeAll(async () => {
    const company = (realmId: string, automated: boolean) => ({
      realmId,
      companyName: automated ? 'Automated Tax Inc' : 'Manual Tax Inc',
      country: 'US',
      preferences: { partnerTaxEnabled: automated, automatedSalesTaxPercent: 4 },
      items: [{ id: '11', name: 'Mug', sku: 'MUG-1' }],
      customers: [{ id: '42', displayName: 'Ada Byron', email: 'ada@example.com' }],
      taxCodes: [
        { id: '21', name: 'NY State Tax', rates: [{ id: '31', name: 'NY State', ratePercent: 4 }] },
        { id: '22', name: 'Old CA rate', rates: [{ id: '32', name: 'CA 2019', ratePercent: 7.75 }] },
      ],
    });
    emulator = await startQboEmulator({
      clientId: 'override-client',
      clientSecret: 'override-secret',
      rateLimits: { perSecond: 10_000, perMinute: 100_000 },
      totalTaxOverride: override,
      companies: [company(MANUAL, false), company(AUTOMATED, true)],
    });
    const platform = createQboPlatform({ clientId: 'override-client', clientSecret: 'override-secret', environment: 'sandbox', ...qboEndpointsAt(emulator.urls) });
    for (const realmId of [MANUAL, AUTOMATED]) {
      emulator.control.authorizeAs(realmId);
      const consent = await fetch(platform.authorizeUrl({}, 'state-o', REDIRECT_URI), { redirect: 'manual' });
      const callback = new URL(consent.headers.get('location')!);
      const { account, credentials } = await platform.completeAuthorization(Object.fromEntries(callback.searchParams), REDIRECT_URI);
      targets.set(realmId, platform.createTarget({ integrationId: `int-override-${override}-${realmId}`, account, tokens: new FixedTokens(credentials) }));
    }
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('a company with a mapped sale tax code books the shop total when the override is kept, else QuickBooks’ own (29.39)', async () => {
    const booked = await targets.get(MANUAL)!.bookSale(sale('R1', '21'), 'receipt:override:R1');
    expect(booked.total).toBe(override === 'ignored' ? '29.39' : '29.40');
    const record = emulator.control.list(MANUAL, 'SalesReceipt').find((r) => r.DocNumber === 'R1')!;
    expect(record.TotalAmt).toBe(Number(booked.total));
  });

  it('a code at another rate than the shop charged gets no override: the receipt shows the code’s tax for the bookkeeper to see', async () => {
    const booked = await targets.get(MANUAL)!.bookSale(sale('R2', '22'), 'receipt:override:R2');
    // 28.26 × 7.75 % = 2.19: far beyond rounding, so QuickBooks' figure stands in every variant and the sync parks.
    expect(booked.total).toBe('30.45');
  });

  it('a code added since the tax code list was read: the list is read again for its rate', async () => {
    const target = targets.get(MANUAL)!;
    await target.listTaxCodes();
    const added = emulator.control.addTaxCode(MANUAL, { name: 'NY 4 (new)', rates: [{ name: 'NY new', ratePercent: 4 }] });
    const booked = await target.bookSale(sale('R4', String(added.Id)), 'receipt:override:R4');
    expect(booked.total).toBe(override === 'ignored' ? '29.39' : '29.40');
  });

  it('with automated sales tax the shop’s tax is sent as the override; where QuickBooks recomputes, the total differs', async () => {
    const booked = await targets.get(AUTOMATED)!.bookSale(sale('R3', null), 'receipt:override:R3');
    expect(booked.total).toBe(override === 'honoured' ? '29.40' : '29.39');
    expect(emulator.control.list(AUTOMATED, 'SalesReceipt').filter((r) => r.DocNumber === 'R3')).toHaveLength(1);
  });
});
