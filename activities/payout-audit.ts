import { and, eq, inArray } from 'drizzle-orm';
import { markedPayout } from '../domain/ledger-document-ownership.js';
import { MissingScopeError } from '../domain/platform-errors.js';
import { PayoutsUnavailableError } from '../domain/payouts-unavailable.js';
import { reconcilePayouts } from '../domain/payout-reconciliation.js';
import type { PayoutComparison } from '../domain/reconciliation-report.js';
import type { Database } from '../db/database.js';
import { payoutSyncs } from '../db/schema.js';
import type { RouteConnections } from './route-connections.js';
import { againstPlatform } from './sync-failures.js';

/** The payouts half of a reconciliation audit: what the audit activity asks of it. */
export interface PayoutAuditor {
  comparePayouts(routeId: string, range: { from: string; to: string }): Promise<PayoutComparison>;
}

const DAY_MS = 86_400_000;

/**
 * Reads the shop's payouts issued on the range's days and the ledger's payout documents dated in it (a payout's
 * deposit carries the payout's UTC issue day), with what ledgerbridge recorded of each, and compares them. Works
 * with any ledger that lists its payout documents by date (`listPayoutsBetween`); others are reported unchecked.
 */
export function createPayoutAuditor(deps: { db: Database; connections: RouteConnections }): PayoutAuditor {
  return {
    async comparePayouts(routeId, range) {
      const { integration: ledger, source: shop, target } = await deps.connections.accountingTarget(routeId);
      const { source } = await deps.connections.commerceSource(routeId);
      if (!source.listPayoutsIssuedSince) return { checked: false, note: `Payouts are not compared: ${shop.displayName} has no payout API (book payouts by hand or from your processor).` };
      if (!target.listPayoutsBetween) return { checked: false, note: `Payouts are not compared: ledgerbridge cannot list the payout documents of ${ledger.displayName} yet.` };
      const start = Date.parse(`${range.from}T00:00:00.000Z`);
      const end = Date.parse(`${range.to}T00:00:00.000Z`) + DAY_MS;
      // The listing is "issued after": a millisecond before the first day takes a payout issued at its midnight.
      const listed = await againstPlatform(shop, () => source.listPayoutsIssuedSince!(new Date(start - 1).toISOString()).catch((error: unknown) => {
        // A shop installed before payouts were read has not granted them: the orders are still audited.
        if (error instanceof MissingScopeError || error instanceof PayoutsUnavailableError) return error;
        throw error;
      }));
      if (listed instanceof PayoutsUnavailableError) return { checked: false, note: `Payouts are not compared: ${listed.reason}.` };
      if (listed instanceof MissingScopeError) {
        return { checked: false, note: `Payouts are not compared: ${shop.displayName} has not granted ledgerbridge ${listed.missingScopes.join(', ')}; reconnect it to grant access to payouts.` };
      }
      const payouts = listed.filter((payout) => Date.parse(payout.issuedAt) < end);
      const deposits = await againstPlatform(ledger, () => target.listPayoutsBetween!(range));
      const ids = [...new Set([...payouts.map((payout) => payout.id), ...deposits.flatMap((d) => markedPayout(d.marker)?.payoutId ?? [])])];
      const rows = ids.length === 0 ? [] : await deps.db
        .select({ payoutId: payoutSyncs.payoutId, status: payoutSyncs.status, lastErrorMessage: payoutSyncs.lastErrorMessage, ledgerDocumentId: payoutSyncs.ledgerDocumentId })
        .from(payoutSyncs)
        .where(and(eq(payoutSyncs.routeId, routeId), inArray(payoutSyncs.payoutId, ids)));
      const lines = reconcilePayouts({
        routeId,
        range,
        sourceName: shop.displayName,
        ledgerName: ledger.displayName,
        documentKind: target.payoutDocumentKind ?? 'deposit',
        payouts,
        deposits,
        rows,
      });
      return { checked: true, lines };
    },
  };
}
