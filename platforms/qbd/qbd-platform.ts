import { eq } from 'drizzle-orm';
import type { AccountingTarget } from '../../domain/accounting-target.js';
import type { Database } from '../../db/database.js';
import { integrations } from '../../db/schema.js';
import type { AccountingPlatform, PlatformConnection } from '../platform.js';
import { payoutAccountNames, payoutAccountOptions, QUICKBOOKS_PAYOUT_ACCOUNTS, type PayoutAccountNames } from '../payout-account-options.js';
import type { SharedPlatformServices } from '../platform-registration.js';
import { PgQbwcWorkQueue } from './pg-qbwc-work-queue.js';
import { QBD_LIMITS, QbdAccountingTarget } from './qbd-accounting-target.js';
import { qbdContactHealth, qbdLoginProblem } from './qbd-health.js';
import { DEPOSIT } from './qbd-payout-deposits.js';
import { QbdRequestChannel } from './qbd-request-channel.js';
import { CURRENCY_ROUTE_OPTIONS } from '../currency-route-options.js';
import { loadQbwcContact } from './qbwc-contacts.js';

export interface QbdPlatformConfig {
  /** The public URL of our Web Connector SOAP endpoint (the .qwc's AppURL). */
  webConnectorUrl: string;
  /** How often the Web Connector polls (the .qwc's RunEveryNMinutes). */
  pollMinutes: number;
  /** How long a ledger call waits for the Web Connector before its order parks. */
  requestWaitMs: number;
  /** How often a waiting call reads the queue. */
  queuePollMs: number;
  /** No Web Connector visit for this long → health says Disconnected. */
  disconnectedAfterMs: number;
  /** How long a Web Connector visit stays open after its last request, for a sync's next step (default 30 s). */
  sessionLingerMs?: number;
}

export const QBWC_PATH = '/qbwc';
/** The page, under /integrations/<id>/, where a signed connect link makes a new Web Connector login. */
export const QBD_CONNECT_PAGE = 'qbd/web-connector-login';

export interface QbdPlatform extends AccountingPlatform {
  readonly id: 'qbd';
  readonly config: QbdPlatformConfig;
}

/**
 * QuickBooks Desktop: no OAuth. "Connecting" hands out a Web Connector login (api/qbd-routes.ts); the password is
 * the integration's credential, it never expires, and the Web Connector's visits are the connection.
 */
export function createQbdPlatform(config: QbdPlatformConfig, shared: SharedPlatformServices): QbdPlatform {
  const db = shared.db;
  const noOAuth = (): never => {
    throw new Error('QuickBooks Desktop connects through the Web Connector: create its login with POST /integrations/:id/qbd/web-connector');
  };
  return {
    id: 'qbd',
    role: 'accounting',
    displayName: 'QuickBooks Desktop',
    mark: { letters: 'QD', colour: '#205e8a' },
    requiredScopes: [],
    // Multiple currencies, where the company file has them: the same choices as QuickBooks Online's; and the accounts a
    // route's sales and payouts go through, by name (an account reference's FullName is ≤ 159 in qbXML 16.0).
    routeOptions: [...CURRENCY_ROUTE_OPTIONS, ...payoutAccountOptions(159, QUICKBOOKS_PAYOUT_ACCOUNTS)],
    // A receipt is in its customer's currency: a pound order under a dollar customer would book pounds as dollars.
    booksAnyCurrencyAsHome: true,
    config,
    refreshTokens: async () => null,
    authorizeUrl: noOAuth,
    completeAuthorization: async () => noOAuth(),
    createTarget(connection: PlatformConnection): AccountingTarget {
      if (!db) throw new Error('QuickBooks Desktop needs the shared database (SharedPlatformServices.db)');
      return lazyTarget(db, config, connection.integrationId, payoutAccountNames(connection.routeOptions));
    },
  };
}

/** The target, built once the integration's name ("QuickBooks Desktop #1", for messages) is read. */
function lazyTarget(db: Database, config: QbdPlatformConfig, integrationId: string, accounts: PayoutAccountNames): AccountingTarget {
  let built: Promise<QbdAccountingTarget> | undefined;
  const target = () =>
    (built ??= (async () => {
      const [row] = await db.select({ name: integrations.displayName }).from(integrations).where(eq(integrations.id, integrationId));
      const name = row?.name ?? 'QuickBooks Desktop';
      const channel = new QbdRequestChannel({
        queue: new PgQbwcWorkQueue(db),
        integrationId,
        name,
        lastContact: async () => (await loadQbwcContact(db, integrationId))?.lastAuthenticatedAt ?? null,
        loginProblem: async () => qbdLoginProblem(name, await loadQbwcContact(db, integrationId)),
        waitMs: config.requestWaitMs,
        pollMs: config.queuePollMs,
      });
      return new QbdAccountingTarget({
        channel,
        name,
        accounts,
        cacheKey: integrationId,
        checkContact: async () => qbdContactHealth(name, await loadQbwcContact(db, integrationId), config.disconnectedAfterMs),
      });
    })());
  return {
    limits: QBD_LIMITS,
    documentKind: 'sales receipt',
    refundDocumentKind: 'credit memo',
    payoutDocumentKind: DEPOSIT,
    findBookedSale: async (q) => (await target()).findBookedSale(q),
    bookSale: async (sale, key) => (await target()).bookSale(sale, key),
    findBookedRefund: async (q) => (await target()).findBookedRefund(q),
    bookRefund: async (refund, key) => (await target()).bookRefund(refund, key),
    findCustomer: async (m) => (await target()).findCustomer(m),
    createCustomer: async (input, key) => (await target()).createCustomer(input, key),
    updateCustomer: async (id, changes) => (await target()).updateCustomer(id, changes),
    updateItem: async (id, changes) => (await target()).updateItem(id, changes),
    findItemsBySku: async (skus) => (await target()).findItemsBySku(skus),
    listItems: async () => (await target()).listItems(),
    listTaxCodes: async () => (await target()).listTaxCodes(),
    taxSetup: async () => (await target()).taxSetup(),
    currencies: async (options) => (await target()).currencies(options),
    checkConnection: async () => (await target()).checkConnection(),
    listSalesBetween: async (range) => (await target()).listSalesBetween(range),
    saleClearingAccount: async (sale) => (await target()).saleClearingAccount(sale),
    findBookedPayout: async (docNumber, payout) => (await target()).findBookedPayout(docNumber, payout),
    bookPayout: async (payout, key) => (await target()).bookPayout(payout, key),
    listPayoutsBetween: async (range) => (await target()).listPayoutsBetween(range),
  };
}
