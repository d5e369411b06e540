/**
 * What the notification emails are built from: plain data, so workflows and activities can pass
 * them through Temporal unchanged and the composers stay pure.
 */

/** What kind of synced record failed or is waiting. */
export type RecordKind = 'order' | 'customer';

/** A record a person can open, e.g. { label: "Order #1001", url: "https://…/orders/1001" }. */
export interface RecordLink {
  label: string;
  /** http(s) URL of the record in our app (or the shop), opened from the email. */
  url: string;
}

/** The first failure of an incident: the one email that tells someone what broke and how to fix it. */
export interface IncidentNotice {
  /** Display name, e.g. "QuickBooks Online #1". */
  integrationName: string;
  /** Short status as the app shows it, e.g. "Reconnect required". */
  integrationStatus: string;
  /** Plain words for the bookkeeper, e.g. "Your credentials are invalid or expired. Please reconnect your integration." */
  message: string;
  /** Engineer-facing detail (platform error code, request id); shown last, in small print. */
  detail: string | null;
  /** The record whose sync failed; null when the break was found by a connection check. */
  record: (RecordLink & { kind: RecordKind }) | null;
  /** Where the person reconnects the integration. */
  reconnectUrl: string;
  /** When the failure happened (ISO string or Date). */
  occurredAt: string | Date;
}

/** Records that failed after the incident email, sent as one summary instead of one email each. */
export interface DigestNotice {
  integrationName: string;
  reconnectUrl: string;
  /** A few of the waiting records to list with links; the rest are only counted. */
  records: RecordLink[];
  /** Every record waiting since the incident email, listed or not. */
  totalWaiting: number;
  /** What the waiting records are; orders unless said otherwise. */
  recordKind?: RecordKind;
}

/** The integration works again and parked records resumed. */
export interface AllClearNotice {
  integrationName: string;
  /** How many parked records resumed syncing. */
  resumedCount: number;
  /** The integration's page in our app. */
  integrationUrl: string;
  /** What the resumed records are; orders unless said otherwise. */
  recordKind?: RecordKind;
}

/** A composed email, ready for Mailer.send once recipients are added. */
export interface ComposedEmail {
  subject: string;
  text: string;
  html: string;
}
