import { OAUTH_PATHS } from '../../emulators/qbo/oauth-routes.js';
import { registerPlatform } from '../platform-registration.js';
import { QBO_REQUEST_LIMITS } from './qbo-limits.js';
import { createQboPlatform, qboEndpointsAt, type QboPlatformConfig } from './qbo-platform.js';

/**
 * QuickBooks Online as this deployment offers it: QBO_CLIENT_ID, QBO_CLIENT_SECRET, QBO_ENVIRONMENT
 * (sandbox | production), and QBO_EMULATOR_URL for staging against the emulator.
 */
export const qboRegistration = registerPlatform({
  id: 'qbo',
  displayName: 'QuickBooks Online',
  role: 'accounting',
  documentKind: 'sales receipt',
  refundDocumentKind: 'refund receipt',
  accountLabels: { realmId: 'company' },
  configFromEnv: (env): QboPlatformConfig => ({
    clientId: env.required('QBO_CLIENT_ID'),
    clientSecret: env.required('QBO_CLIENT_SECRET'),
    environment: env.get('QBO_ENVIRONMENT') === 'sandbox' ? 'sandbox' : 'production',
  }),
  emulatorFromEnv(env, config: QboPlatformConfig): QboPlatformConfig {
    const url = env.get('QBO_EMULATOR_URL')?.trim();
    if (!url) return config;
    // The emulator serves Intuit's API and OAuth paths on one origin.
    const origin = env.origin('QBO_EMULATOR_URL', url);
    return {
      ...config,
      ...qboEndpointsAt({
        apiBaseUrl: origin,
        authorizeEndpoint: origin + OAUTH_PATHS.authorize,
        tokenEndpoint: origin + OAUTH_PATHS.token,
        revokeEndpoint: origin + OAUTH_PATHS.revoke,
        userInfoEndpoint: origin + OAUTH_PATHS.userInfo,
      }),
    };
  },
  create: (config: QboPlatformConfig, shared) => createQboPlatform({ ...config, requestLimiter: shared.requestLimiter(QBO_REQUEST_LIMITS) }),
});
