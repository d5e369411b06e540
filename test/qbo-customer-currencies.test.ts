import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingTarget, LedgerSale } from '../domain/accounting-target.js';
import type { AccessTokenProvider, IntegrationCredentials } from '../domain/credentials.js';
import { LedgerRejectedError } from '../domain/platform-errors.js';
import { startQboEmulator, type RunningQboEmulator } from '../emulators/qbo/emulator.js';
import { createQboPlatform, qboEndpointsAt } from '../platforms/qbo/qbo-platform.js';
import { QBO_LIMITS } from '../platforms/qbo/qbo-limits.js';

/**
 * A QuickBooks customer has one currency and a sale must be in it (emulators/qbo/currency-rules.ts, 6000). In the
 * emulator's multicurrency company the product's QBO target keeps one customer per person and currency, the one
 * in a foreign currency named with it; a company without multicurrency is left as it was.
 */
const MULTI = '9130000000000041';
const SINGLE = '9130000000000042';
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

let emulator: RunningQboEmulator;
const targets = new Map<string, AccountingTarget>();

const person = (currency: string, displayName = 'Chloé Dubois') => ({ displayName, givenName: 'Chloé', familyName: 'Dubois', email: 'chloe@example.fr', currency });

function sale(docNumber: string, customerId: string, currency: string): LedgerSale {
  return {
    docNumber,
    date: '2026-11-20',
    currency,
    customerId,
    taxesIncluded: false,
    lines: [{ itemId: '11', description: 'Widget', quantity: 1, unitPrice: '10.00', amount: '10.00', taxCodeId: null, discount: '0.00', tax: '0.00' }],
    discount: '0.00',
    shipping: null,
    totalTax: '0.00',
    total: '10.00',
    marker: `Shopify order #${docNumber}`,
    internalNote: `Shopify order #${docNumber}`,
    customerMemo: null,
  };
}

beforeAll(async () => {
  emulator = await startQboEmulator({
    clientId: 'currency-client',
    clientSecret: 'currency-secret',
    rateLimits: { perSecond: 10_000, perMinute: 100_000 },
    companies: [
      {
        realmId: MULTI,
        companyName: 'Many Currencies Ltd',
        country: 'GB',
        homeCurrency: 'GBP',
        // Sales tax off: this company tests currencies, not VAT codes on lines.
        preferences: { multiCurrencyEnabled: true, usingSalesTax: false },
        items: [{ id: '11', name: 'Widget', unitPrice: 10 }],
        customers: [{ id: '41', displayName: 'Chloé Dubois', email: 'chloe@example.fr' }],
        otherNames: { vendors: ['Acme Supplies (EUR)'] },
      },
      { realmId: SINGLE, companyName: 'One Currency Ltd', country: 'GB', homeCurrency: 'GBP', preferences: { usingSalesTax: false }, items: [{ id: '11', name: 'Widget' }] },
    ],
  });
  const platform = createQboPlatform({ clientId: 'currency-client', clientSecret: 'currency-secret', environment: 'sandbox', ...qboEndpointsAt(emulator.urls) });
  for (const realmId of [MULTI, SINGLE]) {
    emulator.control.authorizeAs(realmId);
    const consent = await fetch(platform.authorizeUrl({}, 'state-c', REDIRECT_URI), { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    const { account, credentials } = await platform.completeAuthorization(Object.fromEntries(callback.searchParams), REDIRECT_URI);
    targets.set(realmId, platform.createTarget({ integrationId: `int-currency-${realmId}`, account, tokens: new FixedTokens(credentials) }));
  }
});

afterAll(async () => {
  await emulator?.close();
});

describe('QBO customers per currency', () => {
  it('a repeat customer buying in a second currency gets a customer in it, named with it, and both sales book', async () => {
    const target = targets.get(MULTI)!;
    expect(await target.findCustomer({ email: 'chloe@example.fr', displayName: 'Chloé Dubois', currency: 'GBP' })).toMatchObject({ id: '41' });
    // The home-currency customer cannot take a sale in euros (6000), so it is not an answer for one.
    expect(await target.findCustomer({ email: 'chloe@example.fr', displayName: 'Chloé Dubois', currency: 'EUR' })).toBeNull();
    await expect(target.bookSale(sale('C1', '41', 'EUR'), 'receipt:C1')).rejects.toMatchObject({ code: '6000' });

    const euro = await target.createCustomer(person('EUR'), 'cust:chloe:EUR');
    expect(euro.displayName).toBe('Chloé Dubois (EUR)');
    const stored = emulator.control.list(MULTI, 'Customer').find((c) => c.Id === euro.id)!;
    expect(stored.CurrencyRef).toEqual({ value: 'EUR' });
    // Found again by email and currency; the pound customer stays the pound one.
    expect(await target.findCustomer({ email: 'chloe@example.fr', displayName: 'Chloé Dubois', currency: 'EUR' })).toMatchObject({ id: euro.id });
    expect(await target.findCustomer({ email: 'chloe@example.fr', displayName: 'Chloé Dubois', currency: 'GBP' })).toMatchObject({ id: '41' });
    expect((await target.bookSale(sale('C2', euro.id, 'EUR'), 'receipt:C2')).total).toBe('10.00');
    expect((await target.bookSale(sale('C3', '41', 'GBP'), 'receipt:C3')).total).toBe('10.00');
  });

  it('a guest per currency, found by its name in that currency', async () => {
    const target = targets.get(MULTI)!;
    const guest = (currency: string) => ({ displayName: 'Online customer', givenName: null, familyName: null, email: null, currency });
    const pounds = await target.createCustomer(guest('GBP'), 'cust:guest:GBP');
    const dollars = await target.createCustomer(guest('USD'), 'cust:guest:USD');
    expect([pounds.displayName, dollars.displayName]).toEqual(['Online customer', 'Online customer (USD)']);
    expect(await target.findCustomer({ email: null, displayName: 'Online customer', currency: 'USD' })).toMatchObject({ id: dollars.id });
    expect(await target.findCustomer({ email: null, displayName: 'Online customer', currency: 'GBP' })).toMatchObject({ id: pounds.id });
    expect(await target.findCustomer({ email: null, displayName: 'Online customer', currency: 'CHF' })).toBeNull();
  });

  it('keeps using customers created before foreign ones were named with their currency: an old plain-named guest or person in euros', async () => {
    const target = targets.get(MULTI)!;
    const oldGuest = emulator.control.addCustomer(MULTI, { displayName: 'Shop guest', currency: 'EUR' });
    const oldPerson = emulator.control.addCustomer(MULTI, { displayName: 'Marie Curie', email: 'marie@example.fr', currency: 'EUR' });
    const oldNoEmail = emulator.control.addCustomer(MULTI, { displayName: 'Pierre Curie', currency: 'EUR' });
    const before = emulator.control.list(MULTI, 'Customer').length;

    // The euro guest's old customer, rather than a new "Shop guest (EUR)"; and its sale books.
    expect(await target.findCustomer({ email: null, displayName: 'Shop guest', currency: 'EUR' })).toMatchObject({ id: oldGuest.Id, displayName: 'Shop guest' });
    expect((await target.bookSale(sale('O1', String(oldGuest.Id), 'EUR'), 'receipt:O1')).total).toBe('10.00');
    // A person found by email, or by the plain name when the shop has no email.
    expect(await target.findCustomer({ email: 'marie@example.fr', displayName: 'Marie Curie', currency: 'EUR' })).toMatchObject({ id: oldPerson.Id });
    expect(await target.findCustomer({ email: null, displayName: 'Pierre Curie', currency: 'EUR' })).toMatchObject({ id: oldNoEmail.Id });
    // Still one customer per currency: the euro customer is no answer for a sale in pounds or dollars.
    expect(await target.findCustomer({ email: null, displayName: 'Shop guest', currency: 'USD' })).toBeNull();
    expect(await target.findCustomer({ email: 'marie@example.fr', displayName: 'Marie Curie', currency: 'GBP' })).toBeNull();
    expect(emulator.control.list(MULTI, 'Customer')).toHaveLength(before);
    const receipt = emulator.control.list(MULTI, 'SalesReceipt').find((r) => r.DocNumber === 'O1')!;
    expect(receipt.CustomerRef).toMatchObject({ value: oldGuest.Id });
  });

  it('adopts a name already taken only by a customer in the same currency; otherwise reports the duplicate name', async () => {
    const target = targets.get(MULTI)!;
    // A lost answer: the same customer created again is the one already there.
    const again = await target.createCustomer(person('EUR'), 'cust:chloe:EUR:retry');
    expect(again.displayName).toBe('Chloé Dubois (EUR)');
    expect(emulator.control.list(MULTI, 'Customer').filter((c) => c.DisplayName === 'Chloé Dubois (EUR)')).toHaveLength(1);
    // A vendor's name: the sync tries its next name form (order-sync-activities.ts).
    const taken = await target.createCustomer({ ...person('EUR'), displayName: 'Acme Supplies', email: null }, 'cust:acme:EUR').catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(LedgerRejectedError);
    expect((taken as LedgerRejectedError).code).toBe('6240');
  });

  it('keeps a foreign-currency name within the display-name limit', async () => {
    const long = 'L'.repeat(QBO_LIMITS.customerDisplayName);
    const created = await targets.get(MULTI)!.createCustomer({ ...person('JPY', long), email: null }, 'cust:long:JPY');
    expect(created.displayName).toHaveLength(QBO_LIMITS.customerDisplayName);
    expect(created.displayName.endsWith(' (JPY)')).toBe(true);
  });

  it('a company without multicurrency names no currency', async () => {
    const created = await targets.get(SINGLE)!.createCustomer(person('GBP'), 'cust:single');
    expect(created.displayName).toBe('Chloé Dubois');
    expect(await targets.get(SINGLE)!.findCustomer({ email: 'chloe@example.fr', displayName: 'Chloé Dubois', currency: 'GBP' })).toMatchObject({ id: created.id });
  });

  it('a company without multicurrency is told plainly that a sale in another currency cannot be booked, naming both currencies', async () => {
    const target = targets.get(SINGLE)!;
    const customer = await target.createCustomer({ ...person('EUR'), displayName: 'Euro Guest', email: null }, 'cust:single:euro');
    // Every customer of such a company is in its home currency.
    expect(emulator.control.list(SINGLE, 'Customer').find((c) => c.Id === customer.id)!.CurrencyRef).toEqual({ value: 'GBP' });
    emulator.control.clearRequestLog();
    const refused = await target.bookSale(sale('S1', customer.id, 'EUR'), 'receipt:S1').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LedgerRejectedError);
    expect((refused as Error).message).toBe(
      'QuickBooks Online books only in GBP (multicurrency is off in the company), but the order to book as S1 is in EUR: nothing was booked. ' +
        'Turn on Multicurrency in QuickBooks: Settings → Account and settings → Advanced → Currency, then retry the order.',
    );
    expect(emulator.control.requestLog().filter((r) => r.url.includes('/salesreceipt'))).toEqual([]);
    expect(emulator.control.list(SINGLE, 'SalesReceipt')).toEqual([]);
  });
});
