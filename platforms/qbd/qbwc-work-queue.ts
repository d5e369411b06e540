/**
 * The per-company queue of qbXML request sets waiting for the Web Connector. The endpoint claims one at a time for
 * a session, hands it out in sendRequestXML and completes it when receiveResponseXML brings its answer.
 * An interface, so a PostgreSQL queue (shared by API processes, surviving restarts) can replace the in-memory one.
 */

export interface QbwcQueuedRequest {
  id: string;
  integrationId: string;
  /** A complete qbXML request set (`<?qbxml version?>` … `<QBXMLMsgsRq>`). */
  qbxml: string;
}

export interface QbwcWorkQueue {
  /** The oldest request of the integration that no live session holds, now held by `ticket`; null when none. */
  claimNext(integrationId: string, ticket: string): Promise<QbwcQueuedRequest | null>;
  /** The request held by `ticket`, if any. */
  claimedBy(ticket: string): Promise<QbwcQueuedRequest | null>;
  /** Answered (a response or an error was delivered): it leaves the queue. */
  complete(requestId: string): Promise<void>;
  /** The session ended without an answer: its request waits for the next session. */
  releaseClaims(ticket: string): Promise<void>;
  /** Requests of the integration not yet answered (held ones included). */
  pendingCount(integrationId: string): Promise<number>;
}

interface Entry extends QbwcQueuedRequest {
  claimedBy?: string;
}

export class InMemoryQbwcWorkQueue implements QbwcWorkQueue {
  private readonly entries: Entry[] = [];

  enqueue(request: QbwcQueuedRequest): void {
    if (this.entries.some((e) => e.id === request.id)) return; // same id, same request: enqueued once
    this.entries.push({ ...request });
  }

  async claimNext(integrationId: string, ticket: string): Promise<QbwcQueuedRequest | null> {
    const entry = this.entries.find((e) => e.integrationId === integrationId && e.claimedBy === undefined);
    if (!entry) return null;
    entry.claimedBy = ticket;
    return { id: entry.id, integrationId: entry.integrationId, qbxml: entry.qbxml };
  }

  async claimedBy(ticket: string): Promise<QbwcQueuedRequest | null> {
    const entry = this.entries.find((e) => e.claimedBy === ticket);
    return entry ? { id: entry.id, integrationId: entry.integrationId, qbxml: entry.qbxml } : null;
  }

  async complete(requestId: string): Promise<void> {
    const index = this.entries.findIndex((e) => e.id === requestId);
    if (index >= 0) this.entries.splice(index, 1);
  }

  async releaseClaims(ticket: string): Promise<void> {
    for (const e of this.entries) if (e.claimedBy === ticket) delete e.claimedBy;
  }

  async pendingCount(integrationId: string): Promise<number> {
    return this.entries.filter((e) => e.integrationId === integrationId).length;
  }
}
