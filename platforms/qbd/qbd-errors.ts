import { LedgerConnectorAbsentError } from '../../domain/platform-errors.js';

/** The wait key of orders parked until the Web Connector comes: `ledger:qbwc-not-connected`. */
export const QBWC_NOT_CONNECTED_CODE = 'qbwc-not-connected';

/**
 * The Web Connector did not take the request within the wait: QuickBooks Desktop is not reachable now.
 * The order parks as Waiting (LedgerNotConnected, without spending retries) on `ledger:qbwc-not-connected` and is
 * resumed by the next Web Connector login.
 */
export class QbdWebConnectorAbsentError extends LedgerConnectorAbsentError {
  constructor(name: string, lastContact: Date | null, detail: string) {
    super(
      QBWC_NOT_CONNECTED_CODE,
      lastContact
        ? `${name} has not connected since ${formatContact(lastContact)}: is the Web Connector running and the company file open?`
        : `${name} has not connected yet: add its .qwc file to the QuickBooks Web Connector, enter the password, and keep the company file open.`,
      detail,
    );
  }
}

export function formatContact(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
