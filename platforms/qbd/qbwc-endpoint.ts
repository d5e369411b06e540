import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { QbwcWorkQueue } from './qbwc-work-queue.js';
import { InMemoryQbwcSessions, type QbwcSession, type QbwcSessionStore } from './qbwc-sessions.js';
import { parseSoapCall, soapFault, soapResult, SoapRequestError, type SoapCall } from './soap-envelope.js';

/**
 * The product's QuickBooks Web Connector (QBWC) SOAP service: the eight methods QBWC calls, per the QBWC
 * Programmer's Guide and WSDL (../shared/platforms/quickbooks-desktop.md §3–4). One session per `authenticate`:
 * a fresh ticket, then one queued request per sendRequestXML, its answer delivered in receiveResponseXML.
 */

export interface QbwcAccount {
  integrationId: string;
  userName: string;
  /** The company file QBWC should open; '' or absent = the one open in QuickBooks. */
  companyFilePath?: string;
}

export interface QbwcAccounts {
  findByUserName(userName: string): Promise<QbwcAccount | null>;
  /** Checks the typed password against the stored hash or sealed value (qbwc-password.ts). */
  verifyPassword(account: QbwcAccount, password: string): Promise<boolean>;
}

/** What a request set came back as: QuickBooks' response, or the HRESULT QuickBooks threw for it. */
export type QbwcDelivery = { integrationId: string; requestId: string; ticket: string } & (
  | { kind: 'response'; qbxml: string }
  | { kind: 'error'; hresult: string; message: string }
);

/** What health monitoring needs to know about the Web Connector's visits (no passwords, no qbXML). */
export type QbwcSessionEvent =
  | { kind: 'authenticated'; integrationId: string; ticket: string; hasWork: boolean }
  | { kind: 'authentication-failed'; userName: string }
  | { kind: 'company-opened'; integrationId: string; ticket: string; qbXMLCountry: string; qbXMLMajorVers: number; companyFile: string }
  | { kind: 'connection-error'; integrationId: string; ticket: string; hresult: string; message: string }
  | { kind: 'qbxml-version-too-old'; integrationId: string; ticket: string; supported: number; needed: string }
  | { kind: 'closed'; integrationId: string; ticket: string };

export interface QbwcEndpointOptions {
  /** URL path of the service (the .qwc's AppURL path). */
  path: string;
  accounts: QbwcAccounts;
  queue: QbwcWorkQueue;
  /** Called with each answer before its request leaves the queue: an answer that fails here is asked for again. */
  onDelivery(delivery: QbwcDelivery): Promise<void>;
  onSessionEvent?(event: QbwcSessionEvent): void;
  serverVersion?: string;
  /**
   * Keep a session open this long after its last request (answering `NoOp`: QBWC waits 5 s and asks again, and
   * `receiveResponseXML` says 99 rather than 100), so a sync whose next step queues its request a moment after the
   * last answer is served in the same visit rather than at the next poll. 0 (default): close when the queue is empty.
   */
  lingerMs?: number;
  /** Whether work for the integration is about to come though none waits yet (orders resuming at this visit). */
  expectsWork?(integrationId: string): Promise<boolean>;
  /**
   * Where open sessions live: PostgreSQL (`PgQbwcSessions`) so any API process serves any call of a visit; in this
   * process's memory by default (one API process only).
   */
  sessions?: QbwcSessionStore;
  /** Sessions idle this long are forgotten (QBWC then gets "invalid ticket"). Default one hour. */
  ticketLifetimeMs?: number;
  now?: () => number;
}

type Session = QbwcSession;

const INVALID_TICKET = 'The Web Connector session is unknown or has expired. Run the update again.';

export async function registerQbwcRoutes(app: FastifyInstance, options: QbwcEndpointOptions): Promise<void> {
  const sessions = options.sessions ?? new InMemoryQbwcSessions();
  const now = options.now ?? Date.now;
  const lifetime = options.ticketLifetimeMs ?? 60 * 60 * 1000;
  const lingerMs = options.lingerMs ?? 0;
  const lingering = (s: Session) => lingerMs > 0 && now() - s.lastWorkAt < lingerMs;

  const session = async (ticket: string | undefined): Promise<Session | undefined> => {
    if (!ticket) return undefined;
    const s = await sessions.get(ticket);
    if (!s) return undefined;
    if (now() - s.lastSeen > lifetime) {
      await sessions.remove(ticket);
      await options.queue.releaseClaims(ticket);
      return undefined;
    }
    return s;
  };
  /**
   * Runs a call of the session `ticket` (or answers `absent` for an unknown ticket) and keeps what it changed. The
   * time of the call alone is written at most once a minute: it only ends sessions idle for `lifetime`.
   */
  const withSession = async <T>(ticket: string, absent: T, call: (s: Session) => Promise<T>): Promise<T> => {
    const s = await session(ticket);
    if (!s) return absent;
    const stored = { ...s };
    s.lastSeen = now();
    try {
      return await call(s);
    } finally {
      const { lastSeen: seenBefore, ...before } = stored;
      const { lastSeen: seenNow, ...after } = s;
      if (JSON.stringify(before) !== JSON.stringify(after) || seenNow - seenBefore > 60_000) await sessions.save(ticket, s);
    }
  };

  const handlers: Record<string, (p: Record<string, string>) => Promise<string | number | string[]>> = {
    async serverVersion() {
      return options.serverVersion ?? 'ledgerbridge 1.0';
    },
    // Any QBWC that speaks this protocol will do: '' lets it go on [C: guide, clientVersion].
    async clientVersion() {
      return '';
    },
    async authenticate(p) {
      const userName = p.strUserName ?? '';
      const account = await options.accounts.findByUserName(userName);
      const ok = account !== null && (await options.accounts.verifyPassword(account, p.strPassword ?? ''));
      if (!account || !ok) {
        options.onSessionEvent?.({ kind: 'authentication-failed', userName });
        // A ticket no session holds, as Intuit's sample service answers; QBWC only passes it to closeConnection.
        return [randomUUID(), 'nvu'];
      }
      // QBWC runs one update per company file at a time [C: guide, update lock]: a session of this integration still
      // open was abandoned (QBWC crashed, a response was lost). Its held request goes out again in this session.
      for (const oldTicket of await sessions.ticketsOf(account.integrationId)) {
        await sessions.remove(oldTicket);
        await options.queue.releaseClaims(oldTicket);
      }
      const ticket = randomUUID();
      await sessions.save(ticket, { integrationId: account.integrationId, lastSeen: now(), answered: 0, lastWorkAt: now() });
      const hasWork =
        (await options.queue.pendingCount(account.integrationId)) > 0 || (lingerMs > 0 && ((await options.expectsWork?.(account.integrationId)) ?? false));
      options.onSessionEvent?.({ kind: 'authenticated', integrationId: account.integrationId, ticket, hasWork });
      return [ticket, hasWork ? (account.companyFilePath ?? '') : 'none'];
    },
    async sendRequestXML(p) {
      const ticket = p.ticket ?? '';
      return withSession(ticket, '', async (s) => {
        if (p.strHCPResponse) {
          options.onSessionEvent?.({
            kind: 'company-opened',
            integrationId: s.integrationId,
            ticket,
            qbXMLCountry: p.qbXMLCountry ?? '',
            qbXMLMajorVers: Number(p.qbXMLMajorVers ?? 0),
            companyFile: p.strCompanyFileName ?? '',
          });
        }
        if (p.qbXMLMajorVers) s.qbxmlMajor = Number(p.qbXMLMajorVers);
        const held = await options.queue.claimedBy(ticket);
        const request = held ?? (await options.queue.claimNext(s.integrationId, ticket));
        if (!request) {
          // A sync between two steps: QBWC waits and asks again ("NoOp"), within the same visit.
          s.lastError = lingering(s) ? 'NoOp' : 'Nothing to send: every request was answered.';
          return '';
        }
        s.lastWorkAt = now();
        // Never hand QuickBooks a qbXML version it cannot read (notes §6): the request waits for an updated QuickBooks.
        const needed = /<\?qbxml\s+version\s*=\s*"(\d+)\.(\d+)"/.exec(request.qbxml);
        if (needed && s.qbxmlMajor !== undefined && Number(needed[1]) > s.qbxmlMajor) {
          await options.queue.releaseClaims(ticket);
          const version = `${needed[1]}.${needed[2]}`;
          options.onSessionEvent?.({ kind: 'qbxml-version-too-old', integrationId: s.integrationId, ticket, supported: s.qbxmlMajor, needed: version });
          s.lastError = `This QuickBooks Desktop reads qbXML up to ${s.qbxmlMajor}.0 and ledgerbridge sends ${version}: update QuickBooks Desktop (2023 R3 or later) to sync.`;
          return '';
        }
        return request.qbxml;
      });
    },
    async receiveResponseXML(p) {
      const ticket = p.ticket ?? '';
      return withSession(ticket, -1, async (s) => {
        const request = await options.queue.claimedBy(ticket);
        if (!request) {
          s.lastError = 'An answer came for no request that was sent.';
          return -1;
        }
        const hresult = p.hresult ?? '';
        const base = { integrationId: s.integrationId, requestId: request.id, ticket };
        await options.onDelivery(hresult !== '' ? { ...base, kind: 'error', hresult, message: p.message ?? '' } : { ...base, kind: 'response', qbxml: p.response ?? '' });
        await options.queue.complete(request.id);
        s.answered += 1;
        s.lastWorkAt = now();
        if (hresult !== '') {
          s.lastError = `QuickBooks could not process a request (${hresult}): ${p.message ?? ''}`;
          return -1;
        }
        const remaining = await options.queue.pendingCount(s.integrationId);
        if (remaining === 0) return lingering(s) ? 99 : 100;
        return Math.min(99, Math.floor((100 * s.answered) / (s.answered + remaining)));
      });
    },
    async getLastError(p) {
      return withSession(p.ticket ?? '', INVALID_TICKET, async (s) => s.lastError ?? '');
    },
    async connectionError(p) {
      const ticket = p.ticket ?? '';
      await withSession(ticket, null, async (s) => {
        options.onSessionEvent?.({ kind: 'connection-error', integrationId: s.integrationId, ticket, hresult: p.hresult ?? '', message: p.message ?? '' });
        await options.queue.releaseClaims(ticket);
        return null;
      });
      return 'done';
    },
    async closeConnection(p) {
      const ticket = p.ticket ?? '';
      const s = await sessions.remove(ticket);
      if (!s) return 'OK';
      await options.queue.releaseClaims(ticket);
      options.onSessionEvent?.({ kind: 'closed', integrationId: s.integrationId, ticket });
      return 'OK';
    },
  };

  await app.register(async (scope) => {
    scope.addContentTypeParser(['text/xml', 'application/soap+xml'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
    // Some Web Connector versions GET the AppURL to check it is there before the first update [S].
    scope.get(options.path, async (_request, reply) => reply.type('text/plain; charset=utf-8').send('QuickBooks Web Connector service'));
    scope.post(options.path, async (request, reply) => {
      reply.header('content-type', 'text/xml; charset=utf-8');
      let call: SoapCall;
      try {
        call = parseSoapCall(String(request.body ?? ''));
      } catch (error) {
        if (error instanceof SoapRequestError) return reply.code(500).send(soapFault(error.message));
        throw error;
      }
      const handler = Object.hasOwn(handlers, call.method) ? handlers[call.method] : undefined;
      if (!handler) return reply.code(500).send(soapFault(`${call.method} is not a Web Connector method this service offers`));
      try {
        return reply.send(soapResult(call.method, await handler(call.params)));
      } catch {
        // The queue or the delivery callback failed: QBWC shows the fault and ends the update; the request stays
        // held by the ticket and goes out again at the next update. No internals in what QBWC shows.
        return reply.code(500).send(soapFault('ledgerbridge could not handle this step; it will be tried again at the next update.'));
      }
    });
  });
}
