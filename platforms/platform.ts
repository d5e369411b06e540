import type { AccountingTarget } from '../domain/accounting-target.js';
import type { CommerceSource } from '../domain/commerce-source.js';
import type { CommerceWebhooks } from '../domain/commerce-webhooks.js';
import type { AccessTokenProvider, IntegrationCredentials } from '../domain/credentials.js';

/**
 * One platform (Shopify, QuickBooks Online, ...) as the engine sees it. Adding a platform means
 * writing one of these and registering it in platforms/registry.ts; workflows never change.
 */
interface PlatformBase {
  /** Stable id stored with each integration: 'shopify', 'qbo', 'xero', ... */
  readonly id: string;
  /** Human name used in "QuickBooks Online #1". */
  readonly displayName: string;
  /** Scopes a healthy connection must hold. */
  readonly requiredScopes: readonly string[];
  /**
   * Trades a refresh token for a new pair. Throws CredentialsInvalidError when the grant is gone
   * (invalid_grant). Platforms whose tokens never expire return null.
   */
  refreshTokens(current: IntegrationCredentials, account: IntegrationAccount): Promise<IntegrationCredentials | null>;
  /** OAuth authorize URL a person is sent to; `state` is our single-use CSRF token. */
  authorizeUrl(account: IntegrationAccount, state: string, redirectUri: string): string;
  /**
   * Completes OAuth from the callback's query string (validating the platform's own signature where it has one).
   * Returns the account identity (shop, realmId) and the tokens.
   */
  completeAuthorization(
    callbackQuery: Record<string, string>,
    redirectUri: string,
  ): Promise<{ account: IntegrationAccount; credentials: IntegrationCredentials; accountChoices?: AccountChoice[] }>;
}

/**
 * One of several accounts a single consent granted (Xero: organisations). With more than one, the connect flow
 * asks the operator which one the integration books into, unless one is the integration's own account already.
 */
export interface AccountChoice {
  account: IntegrationAccount;
  /** What the person calls it: the organisation's name. */
  label: string;
}

/** Platform-specific identity of the connected account: { shop } for Shopify, { realmId } for QuickBooks Online. */
export type IntegrationAccount = Record<string, string>;

export interface PlatformConnection {
  integrationId: string;
  account: IntegrationAccount;
  tokens: AccessTokenProvider;
}

export interface CommercePlatform extends PlatformBase {
  readonly role: 'commerce';
  createSource(connection: PlatformConnection): CommerceSource;
  /** The shop's subscriptions to the webhooks the sync needs (kept on connect and by every health check). */
  createWebhooks(connection: PlatformConnection): CommerceWebhooks;
}

export interface AccountingPlatform extends PlatformBase {
  readonly role: 'accounting';
  createTarget(connection: PlatformConnection): AccountingTarget;
  /**
   * Where a person opens a booked document in the ledger's own web app (the console's "open in the ledger"
   * link); absent or null when the ledger has no such page (a desktop ledger, an emulator).
   */
  documentUrl?(account: IntegrationAccount, document: { id: string; docNumber: string | null }): string | null;
}

export type Platform = CommercePlatform | AccountingPlatform;
