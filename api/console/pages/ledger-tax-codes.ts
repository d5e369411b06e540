import type { FastifyBaseLogger } from 'fastify';
import { RouteConnections } from '../../../activities/route-connections.js';
import type { LedgerTaxCode } from '../../../domain/accounting-target.js';
import type { ConsoleDeps } from '../console-deps.js';

/** How long a page waits for a ledger's list of tax codes before it shows the page without suggestions. */
const LEDGER_LIST_WAIT_MS = 5_000;

/**
 * The tax codes of a route's ledger, read from the ledger now (as order syncs read them), or null when the
 * ledger does not answer in time or at all: the page then offers the plain form only. QuickBooks Desktop
 * answers at the Web Connector's next visit, usually later than a page can wait.
 */
export async function ledgerTaxCodesOf(deps: ConsoleDeps, routeId: string, log: FastifyBaseLogger): Promise<LedgerTaxCode[] | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const { target } = await new RouteConnections(deps.db, deps.platforms, deps.credentials).accountingTarget(routeId);
    const listing = target.listTaxCodes();
    listing.catch(() => {}); // Answered after the page gave up: nobody waits for it any more.
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), LEDGER_LIST_WAIT_MS)));
    return await Promise.race([listing, late]);
  } catch (error) {
    log.warn({ err: error, routeId }, 'tax codes of the ledger could not be read for suggestions');
    return null;
  } finally {
    clearTimeout(timer);
  }
}
