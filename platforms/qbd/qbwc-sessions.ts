/**
 * Where the Web Connector endpoint keeps its open sessions (one per `authenticate` ticket). The PostgreSQL store
 * (pg-qbwc-sessions.ts) lets several API processes serve one Web Connector without sticky routing; the in-memory
 * one is for a single process (tests of the endpoint alone).
 */
export interface QbwcSession {
  integrationId: string;
  /** The newest qbXML major version QuickBooks reads, as QBWC reports it in sendRequestXML. */
  qbxmlMajor?: number;
  /** Epoch ms of the session's last call. */
  lastSeen: number;
  answered: number;
  lastError?: string;
  /** When the session last handed out or received a request (or began, when work was expected). */
  lastWorkAt: number;
}

export interface QbwcSessionStore {
  get(ticket: string): Promise<QbwcSession | null>;
  /** Creates or replaces the session of `ticket`. */
  save(ticket: string, session: QbwcSession): Promise<void>;
  /** Removes it; the session it was, or null when none (a second closeConnection). */
  remove(ticket: string): Promise<QbwcSession | null>;
  /** Tickets of the integration's open sessions. */
  ticketsOf(integrationId: string): Promise<string[]>;
}

export class InMemoryQbwcSessions implements QbwcSessionStore {
  private readonly sessions = new Map<string, QbwcSession>();

  async get(ticket: string): Promise<QbwcSession | null> {
    const found = this.sessions.get(ticket);
    return found ? { ...found } : null;
  }

  async save(ticket: string, session: QbwcSession): Promise<void> {
    this.sessions.set(ticket, { ...session });
  }

  async remove(ticket: string): Promise<QbwcSession | null> {
    const found = this.sessions.get(ticket) ?? null;
    this.sessions.delete(ticket);
    return found;
  }

  async ticketsOf(integrationId: string): Promise<string[]> {
    return [...this.sessions].filter(([, session]) => session.integrationId === integrationId).map(([ticket]) => ticket);
  }
}
