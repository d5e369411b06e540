import OAuthClient from 'intuit-oauth';

export interface QboOAuthUrls {
  authorize: string;
  token: string;
  revoke: string;
  userInfo: string;
}

export interface QboOAuthConfig {
  clientId: string;
  clientSecret: string;
  environment: 'sandbox' | 'production';
  /** Emulator endpoints; absent in production. */
  oauthUrls?: QboOAuthUrls;
}

/**
 * A fresh intuit-oauth client per call, so tokens of one integration never sit in a client shared with another.
 * `setAuthorizeURLs` rewrites the SDK's endpoints for the whole process; that is accepted (one Intuit per process).
 */
export function createOAuthClient(config: QboOAuthConfig, redirectUri = ''): OAuthClient {
  const client = new OAuthClient({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    environment: config.environment,
    redirectUri,
  });
  if (config.oauthUrls) {
    client.setAuthorizeURLs({
      authorizeEndpoint: config.oauthUrls.authorize,
      tokenEndpoint: config.oauthUrls.token,
      revokeEndpoint: config.oauthUrls.revoke,
      userInfoEndpoint: config.oauthUrls.userInfo,
    });
  }
  return client;
}
