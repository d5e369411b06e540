/** Where Xero's identity server, connections API and Accounting API are; the emulator's URLs in tests. */
export interface XeroEndpoints {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint: string;
  jwksUri: string;
  /** Origin of `GET/DELETE /connections`. */
  connectionsBaseUrl: string;
  /** `accountingApi.basePath`. */
  accountingApiBasePath: string;
}

/** Xero's production hosts (OIDC discovery of https://identity.xero.com, and api.xero.com). */
export const XERO_ENDPOINTS: XeroEndpoints = {
  issuer: 'https://identity.xero.com',
  authorizationEndpoint: 'https://login.xero.com/identity/connect/authorize',
  tokenEndpoint: 'https://identity.xero.com/connect/token',
  revocationEndpoint: 'https://identity.xero.com/connect/revocation',
  jwksUri: 'https://identity.xero.com/.well-known/openid-configuration/jwks',
  connectionsBaseUrl: 'https://api.xero.com',
  accountingApiBasePath: 'https://api.xero.com/api.xro/2.0',
};

/** The hard-coded origin xero-node calls `/connections` on (XeroClient.updateTenants, disconnect). */
export const XERO_NODE_CONNECTIONS_ORIGIN = 'https://api.xero.com';
