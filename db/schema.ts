import { sql } from 'drizzle-orm';
import type { BookedOrderChangeRecord, ShopOrderUpdate } from '../domain/booked-order-change.js';
import type { ClearedCents } from '../domain/commerce-payout.js';
import { boolean, index, integer, jsonb, pgTable, primaryKey, serial, text, timestamp, unique, uniqueIndex } from 'drizzle-orm/pg-core';

/** One connected account on one platform: "Shopify #1", "QuickBooks Online #1". */
export const integrations = pgTable(
  'integrations',
  {
    id: text('id').primaryKey(),
    platform: text('platform').notNull(),
    /** Per-platform ordinal used in the display name. */
    number: integer('number').notNull(),
    displayName: text('display_name').notNull(),
    /** Platform identity of the account: { shop } or { realmId }. */
    account: jsonb('account').$type<Record<string, string>>().notNull().default({}),
    /** Encrypted JSON of IntegrationCredentials (security/token-cipher.ts); null until connected. */
    credentials: text('credentials'),
    /** Bumped on every credential write: lets a refresher see that someone else already refreshed. */
    credentialsVersion: integer('credentials_version').notNull().default(0),
    /**
     * Bumped when credentials are saved (connect, reconnect) or cleared, never by a token refresh: a failure
     * reported from an older generation happened under a grant that has since been replaced.
     */
    grantGeneration: integer('grant_generation').notNull().default(0),
    status: text('status').notNull().default('reconnect_required'),
    statusReason: text('status_reason'),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
    lastCheckAt: timestamp('last_check_at', { withTimezone: true }),
    notifyEmails: jsonb('notify_emails').$type<string[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('integrations_platform_number').on(t.platform, t.number)],
);

/** A sync from one shop into one ledger. Workflow ids and mappings hang off it. */
export const syncRoutes = pgTable('sync_routes', {
  id: text('id').primaryKey(),
  sourceIntegrationId: text('source_integration_id')
    .notNull()
    .references(() => integrations.id, { onDelete: 'cascade' }),
  targetIntegrationId: text('target_integration_id')
    .notNull()
    .references(() => integrations.id, { onDelete: 'cascade' }),
  /** Put before every document number of this route ("B-1001"): shops sharing one ledger need it, as both have a "#1001". */
  documentNumberPrefix: text('document_number_prefix'),
  /** The ledger customer for orders whose shop withholds customer names/emails; null = "Shopify customer". */
  fallbackCustomerName: text('fallback_customer_name'),
  /**
   * The route's choices among the options its ledger declares (`AccountingPlatform.routeOptions`: Xero's
   * `saleDocument`); an option not set here follows the ledger's deployment default.
   */
  ledgerOptions: jsonb('ledger_options').$type<Record<string, string>>().notNull().default({}),
  /** Entity kinds switched off for this route ({ customers: false }); a kind not named is on (domain/route-sync-settings.ts). */
  syncEntities: jsonb('sync_entities').$type<Record<string, boolean>>().notNull().default({}),
  /** Orders placed before this are not booked (skipped, "before the route's start date"); null = every order. */
  ordersFrom: timestamp('orders_from', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** The row an operator reads: one per order and route, written by activities as the workflow moves. */
export const orderSyncs = pgTable(
  'order_syncs',
  {
    routeId: text('route_id')
      .notNull()
      .references(() => syncRoutes.id, { onDelete: 'cascade' }),
    orderId: text('order_id').notNull(),
    orderName: text('order_name'),
    workflowId: text('workflow_id').notNull(),
    /** pending | syncing | synced | failed | waiting */
    status: text('status').notNull().default('pending'),
    /** What a waiting order waits for: reconnect | fix | retry. */
    waitingFor: text('waiting_for'),
    /** The thing to fix: "sku:ABC-1", "tax:VAT@20", or an integration id for reconnects. */
    waitingOn: text('waiting_on'),
    lastErrorCode: text('last_error_code'),
    lastErrorMessage: text('last_error_message'),
    /** Why the order booked under the route's fallback customer (the shop withholds customer names/emails). */
    customerNotice: text('customer_notice'),
    ledgerDocumentId: text('ledger_document_id'),
    ledgerDocNumber: text('ledger_doc_number'),
    /** The order's total as booked (shop currency): what a later orders/updated is compared with. */
    bookedOrderTotal: text('booked_order_total'),
    /**
     * The total of the booked sale's document (the order's total before refunds): with the refunds the shop reports,
     * what tells a refund's orders/updated from an edit on a route whose ledger books refunds. Null on older rows.
     */
    bookedSaleTotal: text('booked_sale_total'),
    /** Set when the shop changed or cancelled the order after it was booked; the ledger needs a person. */
    changedAfterBooking: jsonb('changed_after_booking').$type<BookedOrderChangeRecord>(),
    /** updated_at of the newest shop state seen (fetched or by webhook): older, late webhooks are ignored. */
    shopUpdatedAt: timestamp('shop_updated_at', { withTimezone: true }),
    /** The newest shop update that arrived while the order was being booked: the booking judges it. */
    shopUpdatePending: jsonb('shop_update_pending').$type<ShopOrderUpdate>(),
    attempts: integer('attempts').notNull().default(0),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.orderId] })],
);

/**
 * One refund (or the reversal of a cancellation, refund id "cancellation") of an order, booked as the ledger's
 * refund document by its own workflow (workflows/refund-sync.ts): what an operator sees of it.
 */
export const refundSyncs = pgTable(
  'refund_syncs',
  {
    routeId: text('route_id')
      .notNull()
      .references(() => syncRoutes.id, { onDelete: 'cascade' }),
    orderId: text('order_id').notNull(),
    /** The shop's refund id, or "cancellation" for the full reversal of a cancelled order. */
    refundId: text('refund_id').notNull(),
    orderName: text('order_name'),
    workflowId: text('workflow_id').notNull(),
    /** pending | waiting_for_sale | syncing | synced | failed | waiting | skipped */
    status: text('status').notNull().default('pending'),
    waitingFor: text('waiting_for'),
    waitingOn: text('waiting_on'),
    lastErrorCode: text('last_error_code'),
    lastErrorMessage: text('last_error_message'),
    /** What the shop gave back (shop currency), once the refund was read. */
    refundTotal: text('refund_total'),
    /** ISO 4217 code of `refundTotal`; null on rows written before it was recorded (migration 0047). */
    refundCurrency: text('refund_currency'),
    /** A shop refund: when its booking was decided (after this, a cancellation's reversal counts it as given back). */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** The cancellation's reversal: the shop refunds it left out as given back already; it gives back the rest, once. */
    accountedRefundIds: jsonb('accounted_refund_ids').$type<string[]>(),
    ledgerDocumentId: text('ledger_document_id'),
    ledgerDocNumber: text('ledger_doc_number'),
    attempts: integer('attempts').notNull().default(0),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.orderId, t.refundId] })],
);

/**
 * One customer or product of a store, synced into one route's ledger (workflows/entity-sync.ts): what the console's
 * per-entity status counts. `entity`: customers | products; `source_id`: the store's id.
 */
export const entitySyncs = pgTable(
  'entity_syncs',
  {
    routeId: text('route_id')
      .notNull()
      .references(() => syncRoutes.id, { onDelete: 'cascade' }),
    entity: text('entity').notNull(),
    sourceId: text('source_id').notNull(),
    /** "Chloé Dubois", "Organic Tee": what a person calls it. */
    sourceName: text('source_name'),
    workflowId: text('workflow_id').notNull(),
    /** pending | syncing | synced | failed | waiting | skipped */
    status: text('status').notNull().default('pending'),
    waitingFor: text('waiting_for'),
    waitingOn: text('waiting_on'),
    lastErrorCode: text('last_error_code'),
    lastErrorMessage: text('last_error_message'),
    attempts: integer('attempts').notNull().default(0),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.entity, t.sourceId] })],
);

/**
 * Which ledger record a store's record became, per route: `kind` customer (a store customer → a ledger customer) or
 * item (a product variant → a ledger item). Read before any lookup in the ledger, so an edited customer or a renamed
 * product syncs to the same record every time.
 */
export const entityLedgerLinks = pgTable(
  'entity_ledger_links',
  {
    routeId: text('route_id')
      .notNull()
      .references(() => syncRoutes.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    sourceId: text('source_id').notNull(),
    ledgerId: text('ledger_id').notNull(),
    /** The ledger record's name when linked (a customer's display name, an item's name). */
    ledgerName: text('ledger_name').notNull(),
    /** Field → hash of the value last written (or found, when matched); null on links made before edits were kept in step. */
    writtenHashes: jsonb('written_hashes').$type<Record<string, string>>(),
    linkedAt: timestamp('linked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.kind, t.sourceId] })],
);

/** One Shopify Payments payout (or a store's payment transfer) of one route, and its deposit in the ledger. */
export const payoutSyncs = pgTable(
  'payout_syncs',
  {
    routeId: text('route_id')
      .notNull()
      .references(() => syncRoutes.id, { onDelete: 'cascade' }),
    /** The shop's payout id (Shopify: the payout's legacy id). */
    payoutId: text('payout_id').notNull(),
    workflowId: text('workflow_id').notNull(),
    /** pending | waiting_for_orders | syncing | synced | failed | waiting */
    status: text('status').notNull().default('pending'),
    issuedAt: text('issued_at'),
    /** What reached the bank, in the payout's currency. */
    net: text('net'),
    currency: text('currency'),
    waitingFor: text('waiting_for'),
    waitingOn: text('waiting_on'),
    lastErrorCode: text('last_error_code'),
    lastErrorMessage: text('last_error_message'),
    /** Per order id, what the deposit moved through the clearing account (cents charged, cents refunded): what later payouts of the order build on. */
    cleared: jsonb('cleared').$type<Record<string, ClearedCents>>().notNull().default({}),
    ledgerDocumentId: text('ledger_document_id'),
    ledgerDocNumber: text('ledger_doc_number'),
    attempts: integer('attempts').notNull().default(0),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    syncedAt: timestamp('synced_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.payoutId] })],
);

/** Full text of fields the ledger could only take truncated. */
export const truncatedFields = pgTable(
  'truncated_fields',
  {
    routeId: text('route_id').notNull(),
    orderId: text('order_id').notNull(),
    field: text('field').notNull(),
    fullText: text('full_text').notNull(),
    limit: integer('limit').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.orderId, t.field] })],
);

export const skuMappings = pgTable(
  'sku_mappings',
  {
    routeId: text('route_id')
      .notNull()
      .references(() => syncRoutes.id, { onDelete: 'cascade' }),
    sku: text('sku').notNull(),
    ledgerItemId: text('ledger_item_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.sku] })],
);

export const taxMappings = pgTable(
  'tax_mappings',
  {
    routeId: text('route_id')
      .notNull()
      .references(() => syncRoutes.id, { onDelete: 'cascade' }),
    /** "<tax title>@<rate percent>", e.g. "VAT@20" (see domain/tax-key.ts). */
    taxKey: text('tax_key').notNull(),
    ledgerTaxCodeId: text('ledger_tax_code_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.routeId, t.taxKey] })],
);

/** What an order webhook said about its order, kept with the event until its syncs are started. */
export interface IntakeOrderReference {
  orderName: string | null;
  /** refunds/create: the shop's refund id; the drainer starts that refund's booking. */
  refundId?: string | null;
  /**
   * The event says only that the order was refunded (Squarespace's order.update REFUNDED): the drainer starts the
   * order's refund discovery instead of judging it (db/refund-intake-events.ts refundDiscoveryReference).
   */
  discoverRefunds?: boolean | null;
  /** customers/* and products/* topics: the event's `orderId` is that customer's or product's id (workflows/entity-sync.ts). */
  entity?: 'customers' | 'products' | null;
  currentTotal: string | null;
  cancelledAt: string | null;
  updatedAt: string | null;
  /** When the order was placed, where the event says (a route's start date is checked against it before a first sync). */
  createdAt?: string | null;
  /** What the order's refunds gave back, as the update reports them (domain/booked-order-change.ts ShopOrderNow). */
  refunded?: { lines: string; total: string } | null;
}

/**
 * Every webhook we accepted, by the platform's event id (Shopify's; for WooCommerce scoped by integration, since its
 * ids are unique within one store only: db/webhook-intake.ts): a redelivery of a handled event is acknowledged
 * and ignored. Order events are also the durable intake: written once before the acknowledgement
 * (outcome `queued`, with the order reference), their syncs are started afterwards by the intake drainer
 * (runtime/order-intake-drainer.ts), which claims them (`processing`) and records the outcome. A claim
 * older than the lease belongs to a process that died and is taken over.
 */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    eventId: text('event_id').primaryKey(),
    integrationId: text('integration_id'),
    topic: text('topic').notNull(),
    webhookId: text('webhook_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    /** queued | processing | started | already_synced | changed_after_booking | ignored | app_uninstalled | … */
    outcome: text('outcome').notNull(),
    /** The Shopify shop that sent it: the drainer finds the routes reading from it. Null: the routes of `integrationId` (WooCommerce). */
    shop: text('shop'),
    /** Order events only. */
    orderId: text('order_id'),
    orderReference: jsonb('order_reference').$type<IntakeOrderReference>(),
    /** When the current `processing` claim was taken; a claim older than the lease is taken over. */
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** Claims so far (a start that failed is tried again later, not lost). */
    attempts: integer('attempts').notNull().default(0),
    /** A queued event whose start failed waits until then before it is tried again. */
    notBefore: timestamp('not_before', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [index('webhook_events_intake').on(t.receivedAt).where(sql`${t.outcome} in ('queued', 'processing')`)],
);

/** Every status change of an integration, with its cause and the check that caused it. */
export const integrationStatusChanges = pgTable('integration_status_changes', {
  id: serial('id').primaryKey(),
  integrationId: text('integration_id')
    .notNull()
    .references(() => integrations.id, { onDelete: 'cascade' }),
  fromStatus: text('from_status'),
  toStatus: text('to_status').notNull(),
  cause: text('cause').notNull(),
  check: text('check'),
  at: timestamp('at', { withTimezone: true }).notNull().default(sql`now()`),
});

/** Single-use, expiring OAuth `state` values (CSRF). */
export const oauthStates = pgTable('oauth_states', {
  state: text('state').primaryKey(),
  integrationId: text('integration_id')
    .notNull()
    .references(() => integrations.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  /**
   * Credentials a platform posted to us for this state before the browser came back (WooCommerce's key grant),
   * encrypted like a pending switch; read once by the callback that spends the state.
   */
  grantedCredentials: text('granted_credentials'),
});

/** The result of each of the four health checks at an integration's last check (written by the health workflow). */
export const integrationCheckResults = pgTable(
  'integration_check_results',
  {
    integrationId: text('integration_id')
      .notNull()
      .references(() => integrations.id, { onDelete: 'cascade' }),
    /** oauth_connected | token_fresh | scopes_granted | test_call | webhooks_subscribed, polling_scheduled (shops) */
    check: text('check').notNull(),
    ok: boolean('ok').notNull(),
    message: text('message').notNull(),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.check] })],
);

/** Emails the health workflow sent, one row per incident and kind: an activity retry finds the row and does not send twice. */
export const integrationNotifications = pgTable('integration_notifications', {
  /** "<incidentId>:incident", "<incidentId>:digest:<n>", "<incidentId>:all_clear". */
  key: text('key').primaryKey(),
  integrationId: text('integration_id')
    .notNull()
    .references(() => integrations.id, { onDelete: 'cascade' }),
  incidentId: text('incident_id').notNull(),
  kind: text('kind').notNull(),
  recipients: jsonb('recipients').$type<string[]>().notNull(),
  subject: text('subject').notNull(),
  messageId: text('message_id'),
  sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Requests sent to one ledger company (QBO realm at one API host), by every worker process: what the shared
 * limiter counts against the company's per-second, per-minute and in-flight limits. Rows older than a few
 * minutes are deleted as they stop mattering.
 */
export const ledgerRequestSlots = pgTable('ledger_request_slots', {
  id: serial('id').primaryKey(),
  companyKey: text('company_key').notNull(),
  startedAt: timestamp('started_at', { withTimezone: true, precision: 3 }).notNull(),
  /** A request whose process died never finishes: after this it no longer counts as in flight. */
  leaseUntil: timestamp('lease_until', { withTimezone: true, precision: 3 }).notNull(),
  finishedAt: timestamp('finished_at', { withTimezone: true, precision: 3 }),
});

/** One row per ledger company: locked while a slot is taken, and paused after the company throttled us. */
export const ledgerRequestGates = pgTable('ledger_request_gates', {
  companyKey: text('company_key').primaryKey(),
  pausedUntil: timestamp('paused_until', { withTimezone: true, precision: 3 }),
});

/** Signed connect links that were opened (single use): the nonce of a link, spent once. */
export const connectLinkUses = pgTable('connect_link_uses', {
  nonce: text('nonce').primaryKey(),
  integrationId: text('integration_id')
    .notNull()
    .references(() => integrations.id, { onDelete: 'cascade' }),
  /** The link's own expiry: after it the row is of no further use and is deleted. */
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A reconnect that came back with another account (QuickBooks company, shop) than the integration had:
 * held here, tokens encrypted, until an operator confirms the switch or it expires. Also a consent that granted
 * several accounts (Xero organisations) until the operator picks one: its `account` is then `{ "$choices": <JSON> }`
 * (runtime/integration-health-oauth.ts), a key no platform uses.
 */
export const pendingAccountSwitches = pgTable('pending_account_switches', {
  /** SHA-256 (hex) of the confirmation token the operator's browser holds; the token itself is never stored. */
  tokenHash: text('token_hash').primaryKey(),
  integrationId: text('integration_id')
    .notNull()
    .references(() => integrations.id, { onDelete: 'cascade' }),
  account: jsonb('account').$type<Record<string, string>>().notNull(),
  /** Encrypted like integrations.credentials. */
  credentials: text('credentials').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
});

/**
 * Shopify's mandatory privacy webhooks and what we did about each: a redaction says what it erased, a data
 * request holds the export an operator downloads and hands to the merchant.
 */
export const privacyRequests = pgTable('privacy_requests', {
  id: serial('id').primaryKey(),
  /** The webhook event it came from: a redelivery finds this row. */
  eventId: text('event_id').notNull().unique(),
  /** customers/data_request | customers/redact | shop/redact */
  topic: text('topic').notNull(),
  shop: text('shop').notNull(),
  customerId: text('customer_id'),
  /** Order ids Shopify named in the request. */
  orderIds: jsonb('order_ids').$type<string[]>().notNull().default([]),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  /** Redactions: counts of what was erased. Data requests: the export. */
  result: jsonb('result').$type<Record<string, unknown>>(),
});

/**
 * qbXML request sets waiting for a QuickBooks Desktop company's Web Connector (platforms/qbd/pg-qbwc-work-queue.ts).
 * Shared by the API (the SOAP endpoint hands them out) and the workers (the ledger calls wait for their answer).
 * state: pending → sent (held by `ticket`) → answered; pending → abandoned when its caller gave up before it was sent; sent → lost when the session ended without its answer.
 */
export const qbwcRequests = pgTable(
  'qbwc_requests',
  {
    id: text('id').primaryKey(),
    integrationId: text('integration_id')
      .notNull()
      .references(() => integrations.id, { onDelete: 'cascade' }),
    qbxml: text('qbxml').notNull(),
    state: text('state').$type<'pending' | 'sent' | 'answered' | 'lost' | 'abandoned'>().notNull().default('pending'),
    ticket: text('ticket'),
    response: text('response'),
    hresult: text('hresult'),
    errorMessage: text('error_message'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }),
    answeredAt: timestamp('answered_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('qbwc_requests_queue').on(t.integrationId, t.createdAt).where(sql`${t.state} in ('pending', 'sent')`)],
);

/**
 * One QuickBooks Desktop integration's Web Connector login and what its visits told us (health). The password is kept as the integration's
 * credentials (encrypted like tokens), shown once at connect.
 */
export const qbwcContacts = pgTable(
  'qbwc_contacts',
  {
    integrationId: text('integration_id')
      .primaryKey()
      .references(() => integrations.id, { onDelete: 'cascade' }),
    userName: text('user_name').notNull(),
    lastAuthenticatedAt: timestamp('last_authenticated_at', { withTimezone: true, precision: 3 }),
    lastAuthFailureAt: timestamp('last_auth_failure_at', { withTimezone: true, precision: 3 }),
    lastConnectionErrorAt: timestamp('last_connection_error_at', { withTimezone: true, precision: 3 }),
    lastConnectionErrorHresult: text('last_connection_error_hresult'),
    lastConnectionErrorMessage: text('last_connection_error_message'),
    lastCompanyOpenedAt: timestamp('last_company_opened_at', { withTimezone: true, precision: 3 }),
    companyFile: text('company_file'),
  },
  (t) => [uniqueIndex('qbwc_contacts_user_name').on(t.userName)],
);

/**
 * Reconciliation polling, per store integration: every order the store changed up to `handedOverUntil` was handed
 * to the order intake. The next poll asks for changes after this, less an overlap (clock skew); it only moves
 * forward, and only past orders handed over.
 */
export const orderPollCursors = pgTable('order_poll_cursors', {
  integrationId: text('integration_id')
    .primaryKey()
    .references(() => integrations.id, { onDelete: 'cascade' }),
  handedOverUntil: timestamp('handed_over_until', { withTimezone: true }).notNull(),
  /** Orders polling handed to the intake so far (ones the webhooks had not brought, or not at that update). */
  ordersHandedOver: integer('orders_handed_over').notNull().default(0),
  lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
  /** Why the last poll failed; null after a poll that worked. */
  lastError: text('last_error'),
});

/**
 * Open Web Connector sessions (one per `authenticate` ticket), shared by every API process: any of them may serve
 * the Web Connector's next call, so no sticky routing is needed in front of `/qbwc`.
 */
export const qbwcSessions = pgTable(
  'qbwc_sessions',
  {
    ticket: text('ticket').primaryKey(),
    integrationId: text('integration_id')
      .notNull()
      .references(() => integrations.id, { onDelete: 'cascade' }),
    /** The newest qbXML major version QuickBooks reads, as the Web Connector reported it. */
    qbxmlMajor: integer('qbxml_major'),
    answered: integer('answered').notNull().default(0),
    /** What getLastError answers next. */
    lastError: text('last_error'),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, precision: 3 }).notNull(),
    lastWorkAt: timestamp('last_work_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('qbwc_sessions_integration').on(t.integrationId)],
);

/** A person who signs in to the operator console (accounts are created from the command line: `npm run operator`). */
export const operators = pgTable(
  'operators',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    /** scrypt, with its cost parameters and salt in the string (api/console/password-hash.ts). */
    passwordHash: text('password_hash').notNull(),
    /** Wrong passwords in a row; reset by a sign-in. Past a few, the account waits (sign_in_locked_until). */
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    signInLockedUntil: timestamp('sign_in_locked_until', { withTimezone: true, precision: 3 }),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    lastSignInAt: timestamp('last_sign_in_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [uniqueIndex('operators_email').on(t.email)],
);

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, so a database read signs no one in. */
export const operatorSessions = pgTable(
  'operator_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    operatorId: text('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    /** Every form of this session carries it (synchronizer token); a POST without it is refused. */
    csrfToken: text('csrf_token').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('operator_sessions_operator').on(t.operatorId)],
);

/**
 * Squarespace webhook subscriptions we created, with their secrets (sealed like credentials): Squarespace shows a
 * secret only when a subscription is created or its secret rotated, and signs every notification with it. A
 * notification names its subscription, which names the integration it is for.
 */
export const squarespaceWebhookSubscriptions = pgTable(
  'squarespace_webhook_subscriptions',
  {
    subscriptionId: text('subscription_id').primaryKey(),
    integrationId: text('integration_id')
      .notNull()
      .references(() => integrations.id, { onDelete: 'cascade' }),
    websiteId: text('website_id').notNull(),
    /** Sealed (db/credential-store.ts SecretBox), context `squarespace_webhook_subscriptions:<id>:secret`. */
    secret: text('secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('squarespace_webhook_subscriptions_integration_idx').on(table.integrationId)],
);

/**
 * A reconciliation audit of one route over a date range (workflows/reconciliation-audit.ts): store and ledger
 * compared, the report with a fix for every line. Run on demand (API) or daily (a Temporal Schedule per route).
 */
export const reconciliationAudits = pgTable(
  'reconciliation_audits',
  {
    id: text('id').primaryKey(),
    routeId: text('route_id')
      .notNull()
      .references(() => syncRoutes.id, { onDelete: 'cascade' }),
    /** YYYY-MM-DD, both included: the ledger's document date, the UTC day of the shop's order. */
    dateFrom: text('date_from').notNull(),
    dateTo: text('date_to').notNull(),
    /** on_demand | daily */
    trigger: text('trigger').notNull(),
    /** running | done | failed */
    status: text('status').notNull().default('running'),
    workflowId: text('workflow_id').notNull(),
    summary: jsonb('summary').$type<Record<string, number>>(),
    report: jsonb('report').$type<unknown>(),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('reconciliation_audits_route').on(t.routeId, t.startedAt)],
);

/**
 * The hard stop: while a route has a halt not yet released, it books nothing (orders park as "halted"). Tripped by
 * an audit or a sync that finds a duplicate document; released only by an operator. At most one active per route.
 */
export const routeHalts = pgTable(
  'route_halts',
  {
    id: text('id').primaryKey(),
    routeId: text('route_id')
      .notNull()
      .references(() => syncRoutes.id, { onDelete: 'cascade' }),
    /** duplicate_document | clearing_drift */
    reason: text('reason').notNull(),
    /** Why, for the bookkeeper (also the email's and the parked orders' message). */
    message: text('message').notNull(),
    /** What was found: documents, order, audit id. */
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    haltedAt: timestamp('halted_at', { withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    releasedBy: text('released_by'),
  },
  (t) => [uniqueIndex('route_halts_one_active').on(t.routeId).where(sql`${t.releasedAt} is null`)],
);
