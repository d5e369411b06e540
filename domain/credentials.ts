/** Tokens of one integration, as stored (encrypted at rest) in the integrations table. */
export interface IntegrationCredentials {
  accessToken: string;
  refreshToken: string | null;
  /** ISO time; null for tokens that do not expire (Shopify offline tokens). */
  accessTokenExpiresAt: string | null;
  refreshTokenExpiresAt: string | null;
  scopes: string[];
  /** ISO time the pair was obtained; stamped by the credential store, so refresh-ahead can scale to the token's lifetime. */
  obtainedAt?: string;
}

/**
 * Hands platform clients a usable access token. Refreshes are serialized per integration
 * across processes and the new pair is saved before it is returned (db/credential-store.ts).
 */
export interface AccessTokenProvider {
  /** A token valid for at least a minute; refreshes ahead of expiry. */
  getAccessToken(): Promise<string>;
  /**
   * The platform rejected `rejectedToken` (401). Returns a newer token when a refresh is possible
   * (or another process already refreshed), null when the grant itself is gone.
   */
  refreshAfterRejection(rejectedToken: string): Promise<string | null>;
}
