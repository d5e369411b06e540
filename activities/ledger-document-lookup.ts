import { and, eq } from 'drizzle-orm';
import type { AccountingTarget, LedgerDocumentRef } from '../domain/accounting-target.js';
import { documentNumberFor, unusedPrefix } from '../domain/document-number.js';
import { documentOwner } from '../domain/ledger-document-ownership.js';
import { documentNumberPrefixWait, SyncErrorType } from '../domain/sync-error-types.js';
import type { Database } from '../db/database.js';
import { orderSyncs, syncRoutes } from '../db/schema.js';
import type { IntegrationRow, SyncRouteRow } from './route-connections.js';
import { againstPlatform, syncFailure } from './sync-failures.js';
import { duplicatesOfOrder } from './route-breaker.js';

export interface LedgerDocumentLookup {
  /** The number this order's document has or gets. */
  docNumber: string;
  /** The document already booked for this order (or entered by hand under its number), if any. */
  existing: (LedgerDocumentRef & { bookedElsewhere: boolean }) | null;
  /** Other documents under the number marked for this same order (a ledger allowing duplicate numbers): a hard stop. */
  duplicates?: { id: string; docNumber: string }[];
}

/**
 * Finds the ledger document of an order: the one we booked for it under the number its row says (the
 * route's prefix may have changed since), then whatever holds today's number. One we booked for another
 * order means the number is taken: the order parks, naming that order and the fix.
 */
export async function findOrderDocument(
  db: Database,
  ledger: { route: SyncRouteRow; integration: IntegrationRow; target: AccountingTarget },
  order: { id: string | null; name: string },
): Promise<LedgerDocumentLookup> {
  const { route, integration, target } = ledger;
  const docNumber = documentNumberFor(order.name, target.limits.docNumber, route.documentNumberPrefix);
  const [row] = order.id
    ? await db
        .select({ docNumber: orderSyncs.ledgerDocNumber })
        .from(orderSyncs)
        .where(and(eq(orderSyncs.routeId, route.id), eq(orderSyncs.orderId, order.id)))
    : [];
  const numbers = [...new Set([row?.docNumber, docNumber].filter((n): n is string => !!n))];
  for (const number of numbers) {
    const found = await againstPlatform(integration, () => target.findBookedSale({ docNumber: number, order }));
    if (!found) continue;
    // Runs started before orders carried their id cannot tell; they keep the old rule: the number is theirs.
    const owner = order.id ? documentOwner(found.marker, order.id) : { kind: 'unknown' as const };
    if (owner.kind === 'this_order') {
      const duplicates = duplicatesOfOrder(found, order.id!);
      return { docNumber, existing: { ...plainRef(found), bookedElsewhere: false }, ...(duplicates.length > 0 ? { duplicates } : {}) };
    }
    // Under the number it was booked with before, only the document we booked for it counts.
    if (number !== docNumber) continue;
    if (owner.kind === 'other_order') throw await documentNumberTaken(db, route, integration, order.name, { kind: target.documentKind, ...found }, owner.order, owner.orderId);
    // Not ours (entered by hand, another connector): never booked twice, and the message says whose it may be.
    return { docNumber, existing: { ...plainRef(found), bookedElsewhere: !!order.id } };
  }
  return { docNumber, existing: null };
}

/** A document just created or found on create: refuse it if the ledger handed back another order's. */
export async function assertDocumentOfOrder(
  db: Database,
  route: SyncRouteRow,
  integration: IntegrationRow,
  order: { id: string; name: string },
  document: LedgerDocumentRef,
): Promise<LedgerDocumentRef> {
  const owner = documentOwner(document.marker, order.id);
  if (owner.kind === 'other_order') throw await documentNumberTaken(db, route, integration, order.name, document, owner.order, owner.orderId);
  return plainRef(document);
}

/** Without the marker's text: it can be 4,000 characters and the workflow's history needs none of it. */
function plainRef(document: LedgerDocumentRef): LedgerDocumentRef {
  return { id: document.id, docNumber: document.docNumber, total: document.total, ...(document.kind ? { kind: document.kind } : {}) };
}

async function documentNumberTaken(
  db: Database,
  route: SyncRouteRow,
  integration: IntegrationRow,
  orderName: string,
  document: LedgerDocumentRef,
  otherOrder: string,
  otherOrderId: string,
) {
  const sameLedger = await db.select({ prefix: syncRoutes.documentNumberPrefix }).from(syncRoutes).where(eq(syncRoutes.targetIntegrationId, route.targetIntegrationId));
  const example = unusedPrefix(sameLedger.map((r) => r.prefix));
  const prefixAdvice = route.documentNumberPrefix
    ? `Change the document number prefix of sync route ${route.id} (now "${route.documentNumberPrefix}") to one no other shop uses (for example "${example}")`
    : `Give sync route ${route.id} a document number prefix (for example "${example}")`;
  return syncFailure(
    SyncErrorType.DocumentNumberTaken,
    `Order ${orderName} was not booked: document number ${document.docNumber} is already used in ${integration.displayName} by ${document.kind ?? 'document'} ${document.id}, ` +
      `which ledgerbridge booked for ${otherOrder}. This happens when two shops book into one ledger. ${prefixAdvice}; the order then syncs by itself.`,
    {
      detail: `${document.kind ?? 'document'} ${document.id} numbered ${document.docNumber} is marked as booked for order ${otherOrderId}`,
      integrationId: integration.id,
      waitingOn: documentNumberPrefixWait(route.documentNumberPrefix),
    },
  );
}
