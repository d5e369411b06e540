import type { ConnectionProbe } from '../../domain/connection-probe.js';
import { CredentialsInvalidError, LedgerRejectedError, PlatformUnavailableError } from '../../domain/platform-errors.js';
import { formatContact } from './qbd-errors.js';
import { hresultReason } from './qbd-request-channel.js';
import type { QbwcContact } from './qbwc-contacts.js';

/**
 * The health of a QuickBooks Desktop integration, from what the Web Connector's visits told us
 * (../shared/platforms/quickbooks-desktop.md §5): a refused password → Reconnect required; QuickBooks could not open
 * the company file (connectionError HRESULT) → Error with the reason; no visit for `disconnectedAfterMs` →
 * Disconnected in words (an Error verdict: health has no "not heard from" status of its own); else Connected.
 */
export function qbdContactHealth(name: string, contact: QbwcContact | null, disconnectedAfterMs: number, now = new Date()): ConnectionProbe {
  const loginProblem = qbdLoginProblem(name, contact);
  if (loginProblem || !contact) throw loginProblem;
  if (contact.lastConnectionErrorAt && contact.lastConnectionErrorHresult) {
    const reason = hresultReason(contact.lastConnectionErrorHresult) ?? contact.lastConnectionErrorMessage ?? 'QuickBooks could not open the company file.';
    throw new LedgerRejectedError(
      `qbd-${contact.lastConnectionErrorHresult}`,
      `${name}: ${reason}`,
      `connectionError ${contact.lastConnectionErrorHresult} at ${contact.lastConnectionErrorAt.toISOString()}: ${contact.lastConnectionErrorMessage ?? ''}`,
    );
  }
  const last = contact.lastAuthenticatedAt;
  if (!last || now.getTime() - last.getTime() > disconnectedAfterMs) {
    const hours = Math.round(disconnectedAfterMs / 3_600_000);
    const span = hours >= 1 ? `${hours} hour${hours === 1 ? '' : 's'}` : `${Math.round(disconnectedAfterMs / 60_000)} minutes`;
    throw new PlatformUnavailableError(
      null,
      last
        ? `Disconnected: ${name} has not connected for ${span}: is the Web Connector running?`
        : `Disconnected: ${name} has not connected yet: add its .qwc file to the Web Connector and enter the password.`,
      last ? `last authenticate ${formatContact(last)}` : 'never authenticated',
    );
  }
  return { accountName: contact.companyFile ?? name, grantedScopes: null };
}

/**
 * What stands between the Web Connector and us that only a new login fixes: none made yet, or the last visit's
 * password refused (after the last accepted one). Null when the login is fine (the Web Connector may still be away).
 */
export function qbdLoginProblem(name: string, contact: QbwcContact | null): CredentialsInvalidError | null {
  if (!contact) return new CredentialsInvalidError('missing', `${name} has no Web Connector login yet: connect it to get its .qwc file and password.`, 'no qbwc_contacts row');
  const failedLast = contact.lastAuthFailureAt && (!contact.lastAuthenticatedAt || contact.lastAuthFailureAt > contact.lastAuthenticatedAt);
  if (!failedLast) return null;
  return new CredentialsInvalidError(
    'invalid_grant',
    `The Web Connector of ${name} was refused: its password is wrong. Reconnect to get a new password and enter it in the Web Connector.`,
    `authenticate refused at ${contact.lastAuthFailureAt!.toISOString()}`,
  );
}
