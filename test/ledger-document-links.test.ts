import { describe, expect, it } from 'vitest';
import { createQboPlatform, qboEndpointsAt } from '../platforms/qbo/qbo-platform.js';
import { orderSyncRunsUrl } from '../runtime/temporal-ui-links.js';

const app = { clientId: 'links-client', clientSecret: 'links-secret' };
const document = { id: '146', docNumber: '1001' };

/** Where the console's links lead: a booked document in the ledger's web app, an order's runs in Temporal UI. */
describe('links out of the console', () => {
  it("opens a QuickBooks Online sales receipt or refund receipt in QuickBooks' web app, sandbox or production; none for the emulator", () => {
    expect(createQboPlatform({ ...app, environment: 'production' }).documentUrl!({ realmId: '9130' }, document)).toBe('https://app.qbo.intuit.com/app/salesreceipt?txnId=146');
    expect(createQboPlatform({ ...app, environment: 'sandbox' }).documentUrl!({ realmId: '9130' }, document)).toBe('https://app.sandbox.qbo.intuit.com/app/salesreceipt?txnId=146');
    // A refund's (or a cancellation's) refund receipt opens on its own page.
    expect(createQboPlatform({ ...app, environment: 'production' }).documentUrl!({ realmId: '9130' }, { id: '147', docNumber: '1001-R1', kind: 'refund' })).toBe(
      'https://app.qbo.intuit.com/app/refundreceipt?txnId=147',
    );
    const emulated = createQboPlatform({
      ...app,
      environment: 'sandbox',
      ...qboEndpointsAt({ apiBaseUrl: 'http://127.0.0.1:1', authorizeEndpoint: 'http://127.0.0.1:1/a', tokenEndpoint: 'http://127.0.0.1:1/t', revokeEndpoint: 'http://127.0.0.1:1/r', userInfoEndpoint: 'http://127.0.0.1:1/u' }),
    });
    expect(emulated.documentUrl!({ realmId: '9130' }, document)).toBeNull();
  });

  it("filters Temporal UI's workflow list by the order's search attributes, quotes escaped", () => {
    const url = new URL(orderSyncRunsUrl('http://127.0.0.1:8233/', 'default', 'route-"a"', '1001'));
    expect(url.pathname).toBe('/namespaces/default/workflows');
    expect(url.searchParams.get('query')).toBe('RouteId = "route-\\"a\\"" AND OrderId = "1001"');
  });
});
