import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { qbwcRequests } from '../../db/schema.js';
import type { QbwcDelivery } from './qbwc-endpoint.js';
import type { QbwcQueuedRequest, QbwcWorkQueue } from './qbwc-work-queue.js';

/** What became of a queued request, as its caller sees it. */
export type QbwcRequestOutcome =
  | { kind: 'answered'; response: string }
  | { kind: 'error'; hresult: string; message: string }
  /** Handed to QuickBooks, but its answer never came back (the session ended, QBWC crashed): never sent again. */
  | { kind: 'lost' }
  /** Still waiting for a Web Connector session: withdrawn, so it will not run later behind its caller's back. */
  | { kind: 'not-collected' };

/**
 * The per-company queue of qbXML request sets in PostgreSQL, so the API process (the Web Connector's SOAP endpoint
 * hands requests out and stores answers) and the worker processes (ledger calls wait for the answers) share it,
 * and a restart loses nothing.
 *
 * A request is handed to QuickBooks once: one whose session ends without its answer turns `lost`, never `pending`
 * again, because QuickBooks may have run it (an Add would then be made twice). Its caller retries from the start,
 * and the target's query-before-add finds what the lost request wrote.
 */
export class PgQbwcWorkQueue implements QbwcWorkQueue {
  constructor(private readonly db: Database) {}

  async enqueue(integrationId: string, qbxml: string): Promise<string> {
    const id = randomUUID();
    await this.db.insert(qbwcRequests).values({ id, integrationId, qbxml });
    return id;
  }

  async claimNext(integrationId: string, ticket: string): Promise<QbwcQueuedRequest | null> {
    // Two API processes may serve one company's session: the conditional update makes the claim single.
    for (;;) {
      const [next] = await this.db
        .select({ id: qbwcRequests.id })
        .from(qbwcRequests)
        .where(and(eq(qbwcRequests.integrationId, integrationId), eq(qbwcRequests.state, 'pending')))
        .orderBy(asc(qbwcRequests.createdAt), asc(qbwcRequests.id))
        .limit(1);
      if (!next) return null;
      const [claimed] = await this.db
        .update(qbwcRequests)
        .set({ state: 'sent', ticket, sentAt: new Date() })
        .where(and(eq(qbwcRequests.id, next.id), eq(qbwcRequests.state, 'pending')))
        .returning({ id: qbwcRequests.id, integrationId: qbwcRequests.integrationId, qbxml: qbwcRequests.qbxml });
      if (claimed) return claimed;
    }
  }

  async claimedBy(ticket: string): Promise<QbwcQueuedRequest | null> {
    const [row] = await this.db
      .select({ id: qbwcRequests.id, integrationId: qbwcRequests.integrationId, qbxml: qbwcRequests.qbxml })
      .from(qbwcRequests)
      .where(and(eq(qbwcRequests.ticket, ticket), eq(qbwcRequests.state, 'sent')))
      .limit(1);
    return row ?? null;
  }

  /** The endpoint's onDelivery: the answer is stored before the request leaves the queue. */
  async recordDelivery(delivery: QbwcDelivery): Promise<void> {
    await this.db
      .update(qbwcRequests)
      .set(
        delivery.kind === 'response'
          ? { state: 'answered', response: delivery.qbxml, answeredAt: new Date() }
          : { state: 'answered', hresult: delivery.hresult, errorMessage: delivery.message, answeredAt: new Date() },
      )
      .where(and(eq(qbwcRequests.id, delivery.requestId), eq(qbwcRequests.state, 'sent')));
  }

  async complete(requestId: string): Promise<void> {
    await this.db.update(qbwcRequests).set({ state: 'answered', answeredAt: new Date() }).where(and(eq(qbwcRequests.id, requestId), eq(qbwcRequests.state, 'sent')));
  }

  async releaseClaims(ticket: string): Promise<void> {
    await this.db.update(qbwcRequests).set({ state: 'lost' }).where(and(eq(qbwcRequests.ticket, ticket), eq(qbwcRequests.state, 'sent')));
  }

  async pendingCount(integrationId: string): Promise<number> {
    const rows = await this.db
      .select({ id: qbwcRequests.id })
      .from(qbwcRequests)
      .where(and(eq(qbwcRequests.integrationId, integrationId), inArray(qbwcRequests.state, ['pending', 'sent'])));
    return rows.length;
  }

  /**
   * Where the request stands now: an outcome, or null while it waits or is out with QuickBooks. Giving up
   * ('untaken': only if no session took it; 'any': also one out with QuickBooks) withdraws a request no session
   * has taken (not-collected) and counts one out with QuickBooks as lost.
   */
  async outcome(requestId: string, giveUp: false | 'untaken' | 'any' = false): Promise<QbwcRequestOutcome | null> {
    const [row] = await this.db.select().from(qbwcRequests).where(eq(qbwcRequests.id, requestId));
    if (!row) return { kind: 'lost' };
    if (row.state === 'answered') {
      if (row.hresult) return { kind: 'error', hresult: row.hresult, message: row.errorMessage ?? '' };
      return { kind: 'answered', response: row.response ?? '' };
    }
    if (row.state === 'lost') return { kind: 'lost' };
    if (row.state === 'abandoned') return { kind: 'not-collected' };
    if (!giveUp) return null;
    if (row.state === 'pending') {
      const [withdrawn] = await this.db
        .update(qbwcRequests)
        .set({ state: 'abandoned' })
        .where(and(eq(qbwcRequests.id, requestId), eq(qbwcRequests.state, 'pending')))
        .returning({ id: qbwcRequests.id });
      if (withdrawn) return { kind: 'not-collected' };
      return this.outcome(requestId, false); // taken meanwhile: wait for it as for any sent request
    }
    if (giveUp === 'untaken') return null;
    const [lost] = await this.db
      .update(qbwcRequests)
      .set({ state: 'lost' })
      .where(and(eq(qbwcRequests.id, requestId), eq(qbwcRequests.state, 'sent')))
      .returning({ id: qbwcRequests.id });
    return lost ? { kind: 'lost' } : this.outcome(requestId, false);
  }
}
