import { API_BASE_PATH } from '../../emulators/xero/accounting-routes.js';
import { IDENTITY_PATHS } from '../../emulators/xero/identity-routes.js';
import type { PlatformEnv } from '../platform-registration.js';
import { registerPlatform } from '../platform-registration.js';
import { isXeroSaleDocument, XERO_SALE_DOCUMENTS, type XeroSaleDocument } from './sale-booking.js';
import { XERO_REQUEST_LIMITS } from './xero-limits.js';
import { createXeroPlatform, type XeroPlatformConfig } from './xero-platform.js';

function saleDocumentFrom(env: PlatformEnv): XeroSaleDocument | undefined {
  const wanted = env.get('XERO_SALE_DOCUMENT')?.trim();
  if (!wanted) return undefined;
  if (!isXeroSaleDocument(wanted)) env.fail(`XERO_SALE_DOCUMENT: ${JSON.stringify(wanted)} is not one of ${XERO_SALE_DOCUMENTS.join(', ')}`);
  return wanted;
}

/** An account code of Xero's chart ("090", "200"): letters and digits, at most 10 characters. */
function accountCodeFrom(env: PlatformEnv, name: string): string | undefined {
  const code = env.get(name)?.trim();
  if (!code) return undefined;
  if (!/^[A-Za-z0-9-]{1,10}$/.test(code)) env.fail(`${name}: ${JSON.stringify(code)} is not a Xero account code (e.g. 090)`);
  return code;
}

/**
 * Xero as this deployment offers it: XERO_CLIENT_ID and XERO_CLIENT_SECRET (both, or neither: a deployment without
 * Xero still starts, and connecting a Xero integration says what is missing), XERO_BANK_ACCOUNT_CODE (where
 * payments land), XERO_SHIPPING_ACCOUNT_CODE, XERO_SALE_DOCUMENT (the default of each route's `saleDocument`), and
 * XERO_EMULATOR_URL for staging.
 */
export const xeroRegistration = registerPlatform({
  id: 'xero',
  displayName: 'Xero',
  role: 'accounting',
  documentKind: 'invoice',
  // What a cancellation's reversal is called in change messages; a receive-money route books spend money instead.
  refundDocumentKind: 'credit note',
  accountLabels: { tenantId: 'organisation' },
  configFromEnv: (env): XeroPlatformConfig => {
    const clientId = env.get('XERO_CLIENT_ID')?.trim() ?? '';
    const clientSecret = env.get('XERO_CLIENT_SECRET')?.trim() ?? '';
    // One without the other is a typo, not a choice: say which is missing.
    if (clientId && !clientSecret) env.required('XERO_CLIENT_SECRET');
    if (clientSecret && !clientId) env.required('XERO_CLIENT_ID');
    const paymentAccountCode = accountCodeFrom(env, 'XERO_BANK_ACCOUNT_CODE');
    const shippingAccountCode = accountCodeFrom(env, 'XERO_SHIPPING_ACCOUNT_CODE');
    const saleDocument = saleDocumentFrom(env);
    return {
      clientId,
      clientSecret,
      ...(paymentAccountCode ? { paymentAccountCode } : {}),
      ...(shippingAccountCode ? { shippingAccountCode } : {}),
      ...(saleDocument ? { saleDocument } : {}),
    };
  },
  emulatorFromEnv(env, config: XeroPlatformConfig): XeroPlatformConfig {
    const url = env.get('XERO_EMULATOR_URL')?.trim();
    if (!url) return config;
    // The emulator serves Xero's identity server, /connections and the Accounting API on one origin.
    const origin = env.origin('XERO_EMULATOR_URL', url);
    return {
      ...config,
      endpoints: {
        issuer: origin,
        authorizationEndpoint: origin + IDENTITY_PATHS.authorize,
        tokenEndpoint: origin + IDENTITY_PATHS.token,
        revocationEndpoint: origin + IDENTITY_PATHS.revocation,
        jwksUri: origin + IDENTITY_PATHS.jwks,
        connectionsBaseUrl: origin,
        accountingApiBasePath: origin + API_BASE_PATH,
      },
    };
  },
  create: (config: XeroPlatformConfig, shared) => createXeroPlatform({ ...config, requestLimiter: shared.requestLimiter(XERO_REQUEST_LIMITS) }),
});
