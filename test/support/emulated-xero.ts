import { randomUUID } from 'node:crypto';
import type { RequestLimiter } from '../../domain/request-limiter.js';
import { startXeroEmulator, type RunningXeroEmulator, type XeroSeedOrganisation } from '../../emulators/xero/emulator.js';
import type { AccountingPlatform } from '../../platforms/platform.js';
import type { XeroSaleDocument } from '../../platforms/xero/sale-booking.js';
import { createXeroPlatform } from '../../platforms/xero/xero-platform.js';

export const XERO_APP = { clientId: 'test-xero-client', clientSecret: 'test-xero-secret' };

/**
 * A UK organisation with the items the tests' orders use (SKUs as item codes) and one tax rate per rate the shop
 * charges: "VAT" at 20 % and "No VAT" at 0 % (so an untaxed line has exactly one 0 % code to map to).
 */
export function xeroTestOrganisation(tenantId: string, name = 'Test Books Ltd'): XeroSeedOrganisation {
  return {
    tenantId,
    name,
    countryCode: 'GB',
    baseCurrency: 'GBP',
    taxRates: [
      { name: 'VAT', taxType: 'OUTPUT2', ratePercent: 20 },
      { name: 'No VAT', taxType: 'NONE', ratePercent: 0 },
    ],
    items: [
      { code: 'TS-RED-M', name: 'Red T-shirt', salesAccountCode: '200', salesTaxType: 'OUTPUT2', unitPrice: 20 },
      { code: 'product-a', name: 'Product A', salesAccountCode: '200', salesTaxType: 'OUTPUT2', unitPrice: 10 },
      { code: 'MUG-1', name: 'Mug', salesAccountCode: '200', salesTaxType: 'OUTPUT2', unitPrice: 8 },
    ],
  };
}

export interface EmulatedXero {
  emulator: RunningXeroEmulator;
  /** The organisation routes book into. */
  tenantId: string;
  /** A second organisation of the same person, for the connect flow's choice and account switches. */
  otherTenantId: string;
  platform: AccountingPlatform;
}

/** The Xero emulator with two organisations, and the real Xero platform (xero-node) pointed at it. */
export async function startEmulatedXero(options: { requestLimiter?: RequestLimiter; saleDocument?: XeroSaleDocument } = {}): Promise<EmulatedXero> {
  const tenantId = randomUUID();
  const otherTenantId = randomUUID();
  const emulator = await startXeroEmulator({
    ...XERO_APP,
    organisations: [xeroTestOrganisation(tenantId), xeroTestOrganisation(otherTenantId, 'Other Books Ltd')],
    // Tests that want Xero's limits set them; otherwise the minute limit would only slow the tests down.
    rateLimits: { perMinute: 100_000 },
  });
  emulator.control.authorizeAs([tenantId]);
  const platform = createXeroPlatform({
    ...XERO_APP,
    endpoints: emulator.urls,
    defaultRetryAfterMs: 1_000,
    ...(options.requestLimiter ? { requestLimiter: options.requestLimiter } : {}),
    ...(options.saleDocument ? { saleDocument: options.saleDocument } : {}),
  });
  return { emulator, tenantId, otherTenantId, platform };
}

/** The person (or an adviser) revokes ledgerbridge's access: Xero's revocation endpoint, called with our refresh token. */
export function revokeXeroGrant(revocationEndpoint: string, refreshToken: string): Promise<Response> {
  return fetch(revocationEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${XERO_APP.clientId}:${XERO_APP.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token: refreshToken }).toString(),
  });
}
