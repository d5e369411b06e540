import { OAUTH_PATHS } from '../emulators/qbo/oauth-routes.js';
import { qboEndpointsAt, type QboPlatformConfig } from '../platforms/qbo/qbo-platform.js';
import { ConfigError } from './config-error.js';

export interface EmulatorEndpoints {
  /** Shop domain → emulator origin, from SHOPIFY_EMULATOR_SHOPS. */
  shopifyShops?: Record<string, string>;
  /** QuickBooks API and OAuth hosts of the emulator at QBO_EMULATOR_URL. */
  qbo?: Pick<QboPlatformConfig, 'apiBaseUrl' | 'oauthUrls'>;
}

/**
 * Staging: the production entry points pointed at the platform emulators by configuration alone.
 * `SHOPIFY_EMULATOR_SHOPS=demo.myshopify.com=http://127.0.0.1:4101[,other=…]` and `QBO_EMULATOR_URL=http://127.0.0.1:4102`.
 */
export function emulatorEndpointsFromEnv(get: (name: string) => string | undefined): EmulatorEndpoints {
  const endpoints: EmulatorEndpoints = {};
  const shops = get('SHOPIFY_EMULATOR_SHOPS')?.trim();
  if (shops) {
    endpoints.shopifyShops = Object.fromEntries(
      shops.split(',').map((pair) => {
        const [shop, origin] = pair.split('=').map((part) => part.trim());
        if (!shop || !origin) throw new ConfigError(`SHOPIFY_EMULATOR_SHOPS must read shop=origin[,shop=origin], got ${JSON.stringify(pair)}`);
        return [shop, originOf('SHOPIFY_EMULATOR_SHOPS', origin)];
      }),
    );
  }
  const qbo = get('QBO_EMULATOR_URL')?.trim();
  if (qbo) {
    const origin = originOf('QBO_EMULATOR_URL', qbo);
    endpoints.qbo = qboEndpointsAt({
      apiBaseUrl: origin,
      authorizeEndpoint: origin + OAUTH_PATHS.authorize,
      tokenEndpoint: origin + OAUTH_PATHS.token,
      revokeEndpoint: origin + OAUTH_PATHS.revoke,
      userInfoEndpoint: origin + OAUTH_PATHS.userInfo,
    });
  }
  return endpoints;
}

function originOf(variable: string, text: string): string {
  try {
    return new URL(text).origin;
  } catch {
    throw new ConfigError(`${variable}: ${JSON.stringify(text)} is not a URL (expected e.g. http://127.0.0.1:4101)`);
  }
}
