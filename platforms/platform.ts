import type { AccountingTarget } from '../domain/accounting-target.js';
import type { CommerceSource } from '../domain/commerce-source.js';
import type { CommerceWebhooks } from '../domain/commerce-webhooks.js';
import type { AccessTokenProvider, IntegrationCredentials } from '../domain/credentials.js';
import type { TaxRounding } from '../domain/tax-rounding.js';

/**
 * One platform (Shopify, QuickBooks Online, ...) as the engine sees it. Adding a platform means
 * writing one of these and registering it in platforms/registry.ts; workflows never change.
 */
interface PlatformBase {
  /** Stable id stored with each integration: 'shopify', 'qbo', 'xero', ... */
  readonly id: string;
  /** Human name used in "QuickBooks Online #1". */
  readonly displayName: string;
  /**
   * The console's mark for this platform: a few letters on a colour (#rrggbb, dark enough for white letters).
   * Our own sign, never the platform's artwork; the name is always shown beside it. Without one the console
   * uses the name's first letter on grey.
   */
  readonly mark?: PlatformMark;
  /** Scopes a healthy connection must hold. */
  readonly requiredScopes: readonly string[];
  /**
   * Trades a refresh token for a new pair. Throws CredentialsInvalidError when the grant is gone
   * (invalid_grant). Platforms whose tokens never expire return null.
   */
  refreshTokens(current: IntegrationCredentials, account: IntegrationAccount): Promise<IntegrationCredentials | null>;
  /**
   * OAuth authorize URL a person is sent to; `state` is our single-use CSRF token. `grantUri` is where a platform
   * that delivers credentials server-to-server (acceptGrant) sends them.
   */
  authorizeUrl(account: IntegrationAccount, state: string, redirectUri: string, grantUri?: string): string;
  /**
   * Completes OAuth from the callback's query string (validating the platform's own signature where it has one).
   * Returns the account identity (shop, realmId) and the tokens. `granted`: what acceptGrant received for this
   * state before the browser came back, for platforms without a code to exchange.
   */
  completeAuthorization(
    callbackQuery: Record<string, string>,
    redirectUri: string,
    granted?: IntegrationCredentials | null,
  ): Promise<{ account: IntegrationAccount; credentials: IntegrationCredentials; accountChoices?: AccountChoice[] }>;
  /**
   * Platforms whose consent POSTs the credentials to us (WooCommerce's key grant) rather than handing the browser
   * a code: reads that body. Returns the `state` it belongs to and the credentials, or null for a body that is not
   * a grant. The connect flow keeps them (encrypted, with the state) until the browser's callback.
   */
  acceptGrant?(body: unknown): { state: string; credentials: IntegrationCredentials } | null;
}

export interface PlatformMark {
  letters: string;
  colour: `#${string}`;
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
  /** The integration's name ("WooCommerce #1"), for the platform's messages; absent while connecting. */
  displayName?: string;
  account: IntegrationAccount;
  tokens: AccessTokenProvider;
  /**
   * The sync route's choices among the ledger's `routeOptions` (validated when set); absent for calls that serve no
   * route (health checks) and for options the route left to the deployment default.
   */
  routeOptions?: Readonly<Record<string, string>>;
}

/**
 * A setting a ledger lets each sync route choose (Xero: which document a sale becomes). The API accepts only these
 * names and values, and shows the default a route gets when it chooses nothing.
 */
export interface RouteOption {
  /** The key in the route's `ledgerOptions`: "saleDocument". */
  readonly name: string;
  /** The values the option takes; empty for a `freeText` option. */
  readonly allowedValues: readonly string[];
  /** The option names something in the ledger (an account): any text up to this length; the ledger checks it when it books. */
  readonly freeText?: { maxLength: number };
  /** For the operator, in the API's answer and its 400s. */
  readonly description: string;
  /** What a route that does not choose gets: the deployment's setting (XERO_SALE_DOCUMENT) or the ledger's own. */
  readonly defaultValue: string;
}

export interface CommercePlatform extends PlatformBase {
  readonly role: 'commerce';
  createSource(connection: PlatformConnection): CommerceSource;
  /** The shop's subscriptions to the webhooks the sync needs (kept on connect and by every health check). */
  createWebhooks(connection: PlatformConnection): CommerceWebhooks;
}

export interface AccountingPlatform extends PlatformBase {
  readonly role: 'accounting';
  /** The settings a sync route into this ledger may choose; none when absent. */
  readonly routeOptions?: readonly RouteOption[];
  /**
   * True where the ledger would book an order's amounts as home-currency ones whatever their currency, rather than
   * refuse them (QuickBooks Desktop: a sale has no currency of its own, it is its customer's, the home one without
   * multiple currencies): the sync then checks every order's currency before booking, not only a buyer's.
   */
  readonly booksAnyCurrencyAsHome?: boolean;
  /**
   * How the ledger rounds the tax it works out on a document (domain/tax-rounding.ts): what a cancellation's
   * reversal after refunds of an amount alone settles its lines' tax to. Absent: once per rate (QuickBooks).
   */
  readonly taxRounding?: TaxRounding;
  createTarget(connection: PlatformConnection): AccountingTarget;
  /**
   * Where a person opens a booked document in the ledger's own web app (the console's "open in the ledger"
   * link); absent or null when the ledger has no such page (a desktop ledger, an emulator). `kind`: the sale's
   * document (the default) or a refund's (a refund receipt, a credit note).
   */
  documentUrl?(account: IntegrationAccount, document: { id: string; docNumber: string | null; kind?: LedgerDocumentKind }): string | null;
}

/** Which of an order's documents a link opens: its sale's, or one of its refunds' (or its cancellation's reversal). */
export type LedgerDocumentKind = 'sale' | 'refund';

export type Platform = CommercePlatform | AccountingPlatform;
