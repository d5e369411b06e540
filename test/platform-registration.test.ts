import { describe, expect, it } from 'vitest';
import { bookedOrderChangeMessage } from '../domain/booked-order-change.js';
import type { RequestLimits } from '../domain/request-limiter.js';
import { createInstalledPlatforms, INSTALLED_PLATFORMS, ledgerDocumentKind, platformConfigsFromEnv } from '../platforms/installed.js';
import { describeAccount } from '../runtime/integration-health-oauth.js';
import { platformEnv } from '../runtime/platform-env.js';

const env: Record<string, string> = { SHOPIFY_API_KEY: 'key', SHOPIFY_API_SECRET: 'secret', QBO_CLIENT_ID: 'id', QBO_CLIENT_SECRET: 'qsecret' };

describe('installed platforms', () => {
  it('each builds from its own settings under the id it registered, and the registry offers it in its role', () => {
    const limits: RequestLimits[] = [];
    const { registry, byId } = createInstalledPlatforms(platformConfigsFromEnv(platformEnv((name) => env[name])), {
      requestLimiter: (wanted) => {
        limits.push(wanted);
        return { acquire: async () => async () => {}, pauseFor: async () => {} };
      },
    });
    expect(registry.all().map((platform) => [platform.id, platform.role, platform.displayName])).toEqual(
      INSTALLED_PLATFORMS.map((registration) => [registration.id, registration.role, registration.displayName]),
    );
    expect(registry.accounting('qbo').displayName).toBe('QuickBooks Online');
    expect(byId.shopify.verifyWebhook).toBeTypeOf('function');
    expect(registry.accounting('xero').displayName).toBe('Xero');
    // Each ledger asks for its own per-company budget from the shared limiter: QuickBooks Online's, then Xero's
    // (below Xero's 60 a minute and 5 at once per organisation).
    expect(limits).toEqual([
      { perSecond: 8, perMinute: 450, maxInFlight: 10 },
      { perSecond: 5, perMinute: 55, maxInFlight: 4 },
    ]);
  });

  it('a missing secret is named, the first in registration order', () => {
    const { QBO_CLIENT_SECRET: _omitted, ...rest } = env;
    expect(() => platformConfigsFromEnv(platformEnv((name) => rest[name]))).toThrow('QBO_CLIENT_SECRET is not set. See "Configuration" in README.md.');
  });

  it('Xero is optional: without its app credentials the rest starts; one of the pair alone is named; the emulator URL points every Xero endpoint at it', () => {
    const configs = platformConfigsFromEnv(platformEnv((name) => env[name]));
    expect(configs.xero.clientId).toBe('');
    expect(() => platformConfigsFromEnv(platformEnv((name) => ({ ...env, XERO_CLIENT_ID: 'x' })[name]))).toThrow('XERO_CLIENT_SECRET is not set');
    expect(() => platformConfigsFromEnv(platformEnv((name) => ({ ...env, XERO_SALE_DOCUMENT: 'bill' })[name]))).toThrow('XERO_SALE_DOCUMENT');
    const staged = platformConfigsFromEnv(
      platformEnv((name) => ({ ...env, XERO_CLIENT_ID: 'x', XERO_CLIENT_SECRET: 'y', XERO_EMULATOR_URL: 'http://127.0.0.1:4103/', XERO_SALE_DOCUMENT: 'receive-money', XERO_BANK_ACCOUNT_CODE: '091' })[name]),
    ).xero;
    expect(staged).toMatchObject({ clientId: 'x', saleDocument: 'receive-money', paymentAccountCode: '091' });
    expect(staged.endpoints).toEqual({
      issuer: 'http://127.0.0.1:4103',
      authorizationEndpoint: 'http://127.0.0.1:4103/identity/connect/authorize',
      tokenEndpoint: 'http://127.0.0.1:4103/connect/token',
      revocationEndpoint: 'http://127.0.0.1:4103/connect/revocation',
      jwksUri: 'http://127.0.0.1:4103/.well-known/openid-configuration/jwks',
      connectionsBaseUrl: 'http://127.0.0.1:4103',
      accountingApiBasePath: 'http://127.0.0.1:4103/api.xro/2.0',
    });
  });

  it('a ledger declares the options its routes may choose: Xero the sale document (default XERO_SALE_DOCUMENT); all three the currency choices; QuickBooks Online its accounts', () => {
    const build = (extra: Record<string, string>) =>
      createInstalledPlatforms(platformConfigsFromEnv(platformEnv((name) => ({ ...env, ...extra })[name])), {
        requestLimiter: () => ({ acquire: async () => async () => {}, pauseFor: async () => {} }),
      }).registry;
    const currencyOptions = [
      expect.objectContaining({ name: 'saleCurrency', allowedValues: ['shop', 'presentment'], defaultValue: 'shop' }),
      expect.objectContaining({ name: 'foreignCurrency', allowedValues: ['park', 'home-currency'], defaultValue: 'park' }),
    ];
    const payoutAccountOptions = (maxLength: number) =>
      ['clearingAccount', 'payoutBankAccount', 'payoutFeeAccount', 'payoutAdjustmentAccount'].map((name) => expect.objectContaining({ name, freeText: { maxLength }, defaultValue: '' }));
    expect(build({}).accounting('xero').routeOptions).toEqual([
      expect.objectContaining({ name: 'saleDocument', allowedValues: ['invoice-and-payment', 'receive-money'], defaultValue: 'invoice-and-payment' }),
      ...currencyOptions,
      // Payouts through a clearing bank account (README › Payouts through a clearing account); Xero names take 150.
      ...payoutAccountOptions(150),
    ]);
    expect(build({ XERO_SALE_DOCUMENT: 'receive-money' }).accounting('xero').routeOptions?.[0]?.defaultValue).toBe('receive-money');
    // QuickBooks Desktop books in several currencies where the company file has Multiple Currencies on, and takes
    // the same accounts as QuickBooks Online (a qbXML account reference's FullName is up to 159 characters).
    expect(build({}).accounting('qbd').routeOptions).toEqual([...currencyOptions, ...payoutAccountOptions(159)]);
    // QuickBooks books one kind of document: its routes choose how currencies are booked (README › Currencies) and
    // accounts by name (clearing, and where payouts go), none by default.
    expect(build({}).accounting('qbo').routeOptions?.map((option) => [option.name, option.freeText?.maxLength, option.defaultValue])).toEqual([
      ['saleCurrency', undefined, 'shop'],
      ['foreignCurrency', undefined, 'park'],
      ['clearingAccount', 100, ''],
      ['payoutBankAccount', 100, ''],
      ['payoutFeeAccount', 100, ''],
      ['payoutAdjustmentAccount', 100, ''],
    ]);
  });

  it("messages use each platform's own words: its document kind and what it calls an account", () => {
    expect(ledgerDocumentKind('qbo')).toBe('sales receipt');
    expect(ledgerDocumentKind('xero')).toBe('invoice');
    expect(describeAccount({ tenantId: '5f3c' })).toBe('organisation 5f3c');
    expect(ledgerDocumentKind('no-such-ledger')).toBe('document');
    expect(describeAccount({ realmId: '9130' })).toBe('company 9130');
    expect(describeAccount({ shop: 'demo.myshopify.com' })).toBe('shop demo.myshopify.com');
    expect(
      bookedOrderChangeMessage({ kind: 'total_changed', bookedTotal: '8.00', shopTotal: '24.00' }, { orderName: '#5001', ledgerName: 'Xero #1', docNumber: 'INV-5001', documentKind: 'invoice' }),
    ).toBe(
      'Order #5001 changed in the shop after it was booked: its total is now 24.00, but invoice INV-5001 in Xero #1 was booked for 8.00. ' +
        'ledgerbridge does not change booked documents: adjust the invoice (or book a refund) in Xero #1.',
    );
  });
});
