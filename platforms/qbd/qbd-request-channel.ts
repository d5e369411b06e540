import { pause } from '../../activities/activity-heartbeat.js';
import { PlatformUnavailableError } from '../../domain/platform-errors.js';
import { qbxmlRequestSet, readQbxmlResponses, type QbxmlResponse } from './qbxml-envelope.js';
import type { PgQbwcWorkQueue } from './pg-qbwc-work-queue.js';
import { QbdWebConnectorAbsentError } from './qbd-errors.js';
import type { XmlNode } from './xml-tree.js';

export interface QbdRequestChannelOptions {
  queue: PgQbwcWorkQueue;
  integrationId: string;
  /** "QuickBooks Desktop #1", for messages. */
  name: string;
  /** When the Web Connector last authenticated for this integration (null: never). */
  lastContact(): Promise<Date | null>;
  /** Why the Web Connector cannot log in (no login, its password refused), or null: asked when a request was not collected. */
  loginProblem(): Promise<Error | null>;
  /** How long a call waits for the Web Connector to take its request (and, once taken, for the answer). */
  waitMs: number;
  /** How often the queue is read while waiting. */
  pollMs: number;
}

/**
 * One ledger call = one qbXML request set in the company's queue, answered when the Web Connector next polls.
 *
 * Why the activity waits (heartbeating, see activities/activity-heartbeat.ts: the order-sync activities are
 * wrapped in it) rather than completing asynchronously or signalling the workflow: the workflow calls the same
 * activities for every ledger, and recorded histories replay only if it stays as it is. A wait bounded well inside
 * the activity's start-to-close timeout keeps it untouched; past the bound the order parks with a typed error
 * and is resumed when the Web Connector next authenticates (runtime/qbd-contact-resumer.ts).
 */
export class QbdRequestChannel {
  constructor(private readonly options: QbdRequestChannelOptions) {}

  async send(requests: XmlNode[]): Promise<QbxmlResponse[]> {
    const o = this.options;
    const id = await o.queue.enqueue(o.integrationId, qbxmlRequestSet(requests));
    const takeBy = Date.now() + o.waitMs;
    const answerBy = takeBy + o.waitMs;
    for (;;) {
      const now = Date.now();
      const outcome = await o.queue.outcome(id, now >= answerBy ? 'any' : now >= takeBy ? 'untaken' : false);
      if (outcome) {
        switch (outcome.kind) {
          case 'answered':
            return readQbxmlResponses(outcome.response);
          case 'error':
            throw hresultError(o.name, outcome.hresult, outcome.message);
          case 'lost':
            throw new PlatformUnavailableError(
              null,
              `${o.name} took a request but its answer never came back; it is checked and tried again.`,
              `qbwc request ${id}: session ended without receiveResponseXML`,
            );
          case 'not-collected':
            // A refused password is no absence: only a new login helps, so the order waits for a reconnect, saying so.
            throw (await o.loginProblem()) ?? new QbdWebConnectorAbsentError(o.name, await o.lastContact(), `qbwc request ${id} not collected within ${o.waitMs} ms`);
        }
      }
      await pause(o.pollMs);
    }
  }
}

/** QuickBooks threw an HRESULT for the request set (the company could not be opened, the qbXML was refused). */
function hresultError(name: string, hresult: string, message: string): Error {
  const reason = hresultReason(hresult);
  return new PlatformUnavailableError(null, `${name} could not process the request: ${reason ?? message}`, `HRESULT ${hresult}: ${message}`);
}

/** HRESULTs in plain words (../shared/platforms/quickbooks-desktop.md §10). */
export function hresultReason(hresult: string): string | null {
  switch (hresult.toLowerCase()) {
    case '0x80040408':
      return 'QuickBooks could not be started or the company file is not open. Open QuickBooks Desktop with the company file.';
    case '0x80040410':
      return 'A different company file is open in QuickBooks. Open the company file this integration was set up with.';
    case '0x80040400':
      return 'QuickBooks could not read the request (invalid qbXML).';
    case '0x80040418':
    case '0x8004041d':
    case '0x80040420':
      return 'QuickBooks does not allow ledgerbridge into this company file. As the QuickBooks Admin, allow it in Edit › Preferences › Integrated Applications.';
    case '0x80040430':
      return 'QuickBooks cannot log ledgerbridge in automatically. As the QuickBooks Admin, allow automatic login in Edit › Preferences › Integrated Applications.';
    default:
      return null;
  }
}
