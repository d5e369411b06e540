import { Issuer } from 'openid-client';
import { XeroClient } from 'xero-node';
import { XERO_NODE_CONNECTIONS_ORIGIN, type XeroEndpoints } from './xero-endpoints.js';

export interface XeroAppCredentials {
  clientId: string;
  clientSecret: string;
}

/**
 * A XeroClient for one task, pointed at `endpoints`. xero-node lets the Accounting API's `basePath` be set,
 * and its `openIdClient` be assigned (so `buildConsentUrl`, `apiCallback`, `refreshToken` and `revokeToken`
 * use our issuer instead of discovering https://identity.xero.com). `/connections` is hard-coded to
 * https://api.xero.com inside the private `queryApi`; the narrowest redirect is to wrap that one method on this
 * instance (nothing process-wide, unlike an interceptor on axios's default instance).
 */
export function createXeroClient(
  app: XeroAppCredentials,
  endpoints: XeroEndpoints,
  options: { redirectUri?: string; scopes?: readonly string[]; state?: string; accessToken?: string } = {},
): XeroClient {
  const client = new XeroClient({
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUris: options.redirectUri ? [options.redirectUri] : [],
    scopes: [...(options.scopes ?? [])],
    ...(options.state !== undefined ? { state: options.state } : {}),
  });
  const issuer = new Issuer({
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorizationEndpoint,
    token_endpoint: endpoints.tokenEndpoint,
    revocation_endpoint: endpoints.revocationEndpoint,
    jwks_uri: endpoints.jwksUri,
  });
  client.openIdClient = new issuer.Client({
    client_id: app.clientId,
    client_secret: app.clientSecret,
    redirect_uris: options.redirectUri ? [options.redirectUri] : [],
  });
  client.accountingApi.basePath = endpoints.accountingApiBasePath;
  if (endpoints.connectionsBaseUrl !== XERO_NODE_CONNECTIONS_ORIGIN) {
    const sdk = client as unknown as { queryApi(method: string, uri: string): Promise<unknown> };
    const original = sdk.queryApi.bind(client);
    sdk.queryApi = (method, uri) => original(method, uri.startsWith(XERO_NODE_CONNECTIONS_ORIGIN) ? endpoints.connectionsBaseUrl + uri.slice(XERO_NODE_CONNECTIONS_ORIGIN.length) : uri);
  }
  if (options.accessToken) client.setTokenSet({ access_token: options.accessToken, token_type: 'Bearer' });
  return client;
}
