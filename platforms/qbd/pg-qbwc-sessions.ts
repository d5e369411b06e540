import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { qbwcSessions } from '../../db/schema.js';
import type { QbwcSession, QbwcSessionStore } from './qbwc-sessions.js';

type Row = typeof qbwcSessions.$inferSelect;

function toSession(row: Row): QbwcSession {
  return {
    integrationId: row.integrationId,
    ...(row.qbxmlMajor !== null ? { qbxmlMajor: row.qbxmlMajor } : {}),
    lastSeen: row.lastSeenAt.getTime(),
    answered: row.answered,
    ...(row.lastError !== null ? { lastError: row.lastError } : {}),
    lastWorkAt: row.lastWorkAt.getTime(),
  };
}

/**
 * Web Connector sessions in PostgreSQL: the Web Connector's calls of one visit may reach different API processes
 * (a load balancer without sticky sessions), and each finds the session `authenticate` opened. QBWC makes one call
 * at a time per visit [C: guide], so a session has one writer at a time and last-write-wins is enough.
 */
export class PgQbwcSessions implements QbwcSessionStore {
  constructor(private readonly db: Database) {}

  async get(ticket: string): Promise<QbwcSession | null> {
    const [row] = await this.db.select().from(qbwcSessions).where(eq(qbwcSessions.ticket, ticket));
    return row ? toSession(row) : null;
  }

  async save(ticket: string, session: QbwcSession): Promise<void> {
    const values = {
      integrationId: session.integrationId,
      qbxmlMajor: session.qbxmlMajor ?? null,
      answered: session.answered,
      lastError: session.lastError ?? null,
      lastSeenAt: new Date(session.lastSeen),
      lastWorkAt: new Date(session.lastWorkAt),
    };
    await this.db.insert(qbwcSessions).values({ ticket, ...values }).onConflictDoUpdate({ target: qbwcSessions.ticket, set: values });
  }

  async remove(ticket: string): Promise<QbwcSession | null> {
    const [row] = await this.db.delete(qbwcSessions).where(eq(qbwcSessions.ticket, ticket)).returning();
    return row ? toSession(row) : null;
  }

  async ticketsOf(integrationId: string): Promise<string[]> {
    return (await this.db.select({ ticket: qbwcSessions.ticket }).from(qbwcSessions).where(eq(qbwcSessions.integrationId, integrationId))).map((row) => row.ticket);
  }
}
