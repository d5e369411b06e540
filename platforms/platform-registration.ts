import type { SecretBox } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import type { RequestLimiter, RequestLimits } from '../domain/request-limiter.js';
import type { AccountingPlatform, CommercePlatform } from './platform.js';

/**
 * The deployment's environment as a platform reads its settings from it. `required` and `origin` throw the
 * process's configuration error (named variable, pointer to the README), said before anything starts.
 */
export interface PlatformEnv {
  get(name: string): string | undefined;
  /** The value, or a configuration error naming the variable. */
  required(name: string): string;
  /** The origin of a URL-valued variable ("http://127.0.0.1:4102"), or a configuration error naming it. */
  origin(name: string, text: string): string;
  /** Throws the configuration error with this message (a malformed value). */
  fail(message: string): never;
}

/** What a process shares between its platforms (the database behind it). */
export interface SharedPlatformServices {
  /** One limiter over the shared database: every worker process together keeps within these per-company limits. */
  requestLimiter(limits: RequestLimits): RequestLimiter;
  /** The shared database, for platforms whose calls go through it (QuickBooks Desktop's Web Connector queue). */
  db?: Database;
  /** Seals secrets a platform keeps beside the credentials (Squarespace's webhook subscription secrets). */
  secrets?: SecretBox;
}

interface PlatformRegistrationBase<Id extends string, Config> {
  /** Stable id stored with each integration ('shopify', 'qbo', 'xero'); also the key of its settings. */
  readonly id: Id;
  /** Human name, numbered per integration: "QuickBooks Online #1". */
  readonly displayName: string;
  /**
   * What a person calls each field of the connected account, for pages and the status history
   * ("company 9130…"): { realmId: 'company' }, { shop: 'shop' }, { tenantId: 'organisation' }.
   */
  readonly accountLabels: Readonly<Record<string, string>>;
  /**
   * A platform without an OAuth consent page names its own connect page, under /integrations/<id>/, where signed
   * connect links (emails' reconnect links) lead instead of the OAuth one: QuickBooks Desktop's 'qbd/web-connector-login'.
   */
  readonly connectPage?: string;
  /** Account fields an operator gives when creating the integration, before connecting (Shopify: the shop); none when OAuth tells. */
  readonly accountBeforeConnect?: readonly string[];
  /** Reads the platform's own settings (app credentials, environment); a missing secret is a configuration error. */
  configFromEnv(env: PlatformEnv): Config;
  /**
   * Staging: the same settings pointed at the platform's emulator, when its variable is set (QBO_EMULATOR_URL,
   * SHOPIFY_EMULATOR_SHOPS). Read after every platform's secrets, so a missing secret is said first.
   */
  emulatorFromEnv?(env: PlatformEnv, config: Config): Config;
}

export interface CommerceRegistration<Id extends string = string, Config = never, Created extends CommercePlatform = CommercePlatform>
  extends PlatformRegistrationBase<Id, Config> {
  readonly role: 'commerce';
  create(config: Config, shared: SharedPlatformServices): Created;
}

export interface AccountingRegistration<Id extends string = string, Config = never, Created extends AccountingPlatform = AccountingPlatform>
  extends PlatformRegistrationBase<Id, Config> {
  readonly role: 'accounting';
  /** What the ledger calls the documents it books, for messages with no document at hand: "sales receipt". */
  readonly documentKind: string;
  /** What refunds and cancellations after booking become ("refund receipt"); absent where the ledger books none yet. */
  readonly refundDocumentKind?: string;
  create(config: Config, shared: SharedPlatformServices): Created;
}

/** Everything the engine needs to know to offer a platform: settings, emulator wiring, and how to build it (each has its own Config type). */
export type PlatformRegistration = CommerceRegistration<string, any, CommercePlatform> | AccountingRegistration<string, any, AccountingPlatform>;

/** Identity helper that keeps a registration's literal id and config type (for typed settings per platform). */
export function registerPlatform<const R extends PlatformRegistration>(registration: R): R {
  return registration;
}
