import { registerPlatform } from '../platform-registration.js';
import { squarespaceEndpointsAt } from './endpoints.js';
import { createSquarespacePlatform, type SquarespacePlatformConfig } from './squarespace-platform.js';

/**
 * Squarespace as this deployment offers it: SQUARESPACE_CLIENT_ID and SQUARESPACE_CLIENT_SECRET (both, or neither:
 * a deployment without Squarespace still starts, and connecting a site says what is missing), and
 * SQUARESPACE_EMULATOR_URL for staging.
 */
export const squarespaceRegistration = registerPlatform({
  id: 'squarespace',
  displayName: 'Squarespace',
  role: 'commerce',
  accountLabels: { websiteId: 'website' },
  configFromEnv: (env): SquarespacePlatformConfig => {
    const clientId = env.get('SQUARESPACE_CLIENT_ID')?.trim() ?? '';
    const clientSecret = env.get('SQUARESPACE_CLIENT_SECRET')?.trim() ?? '';
    // One without the other is a typo, not a choice: say which is missing.
    if (clientId && !clientSecret) env.required('SQUARESPACE_CLIENT_SECRET');
    if (clientSecret && !clientId) env.required('SQUARESPACE_CLIENT_ID');
    return { clientId, clientSecret };
  },
  emulatorFromEnv(env, config: SquarespacePlatformConfig): SquarespacePlatformConfig {
    const url = env.get('SQUARESPACE_EMULATOR_URL')?.trim();
    if (!url) return config;
    return { ...config, endpoints: squarespaceEndpointsAt(env.origin('SQUARESPACE_EMULATOR_URL', url)) };
  },
  create: (config: SquarespacePlatformConfig, shared) => createSquarespacePlatform(config, { ...(shared.db ? { db: shared.db } : {}), ...(shared.secrets ? { secrets: shared.secrets } : {}) }),
});
