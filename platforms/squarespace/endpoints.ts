import { OAUTH_PATHS } from '../../emulators/squarespace/oauth-routes.js';

/** Where Squarespace's OAuth provider and Commerce APIs are; the emulator serves both on one origin. */
export interface SquarespaceEndpoints {
  authorizeUrl: string;
  tokenUrl: string;
  /** `https://api.squarespace.com`: versions are per resource (`/1.0/commerce/orders`, `/v2/commerce/products`). */
  apiBaseUrl: string;
}

export const SQUARESPACE_ENDPOINTS: SquarespaceEndpoints = {
  authorizeUrl: 'https://login.squarespace.com/api/1/login/oauth/provider/authorize',
  tokenUrl: 'https://login.squarespace.com/api/1/login/oauth/provider/tokens',
  apiBaseUrl: 'https://api.squarespace.com',
};

export function squarespaceEndpointsAt(origin: string): SquarespaceEndpoints {
  const base = origin.replace(/\/+$/, '');
  return { authorizeUrl: base + OAUTH_PATHS.authorize, tokenUrl: base + OAUTH_PATHS.tokens, apiBaseUrl: base };
}
