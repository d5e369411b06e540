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
