import { createHash } from 'node:crypto';
import { escapeXml } from './xml-tree.js';

/**
 * The `.qwc` file a person adds to the QuickBooks Web Connector to connect one company file to ledgerbridge.
 * Elements and rules from the QBWC Programmer's Guide ch. 4 (../shared/platforms/quickbooks-desktop.md §2).
 */
export interface QwcFileSettings {
  /** Shown in QBWC and passed to QuickBooks when it asks the person to allow the app. */
  appName: string;
  appDescription: string;
  /** The SOAP endpoint: https, or http only for localhost / a machine name during development. */
  appUrl: string;
  /** Support page, on the same host as appUrl (QBWC refuses others). */
  appSupport: string;
  userName: string;
  /** One GUID for the app (keys our private data in every company file). */
  ownerId: string;
  /** One GUID per connection (QBWC stores it in the company file to recognise it). */
  fileId: string;
  runEveryNMinutes: number;
  appId?: string;
}

const GUID = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/;

export class QwcSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QwcSettingsError';
  }
}

/** A GUID in QBWC's `{XXXXXXXX-…}` form, the same for the same inputs (a connection's FileID stays put). */
export function stableGuid(namespace: string, name: string): string {
  const h = createHash('sha256').update(`${namespace}\u0000${name}`).digest('hex').toUpperCase();
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}}`;
}

function isLocalHost(host: string): boolean {
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || !host.includes('.');
}

export function qwcFile(settings: QwcFileSettings): string {
  const url = new URL(settings.appUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLocalHost(url.hostname))) {
    throw new QwcSettingsError(`the Web Connector only calls https addresses (or http on localhost): ${settings.appUrl}`);
  }
  if (new URL(settings.appSupport).hostname !== url.hostname) {
    throw new QwcSettingsError('the support address must be on the same host as the service address');
  }
  for (const [name, value] of [['OwnerID', settings.ownerId], ['FileID', settings.fileId]] as const) {
    if (!GUID.test(value)) throw new QwcSettingsError(`${name} must be a GUID in braces, {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`);
  }
  if (!Number.isInteger(settings.runEveryNMinutes) || settings.runEveryNMinutes < 1) {
    throw new QwcSettingsError('the Web Connector runs at most every minute');
  }
  const el = (name: string, value: string) => `  <${name}>${escapeXml(value)}</${name}>`;
  return [
    '<?xml version="1.0"?>',
    '<QBWCXML>',
    el('AppName', settings.appName),
    el('AppID', settings.appId ?? ''),
    el('AppURL', settings.appUrl),
    el('AppDescription', settings.appDescription),
    el('AppSupport', settings.appSupport),
    el('UserName', settings.userName),
    el('OwnerID', settings.ownerId),
    el('FileID', settings.fileId),
    el('QBType', 'QBFS'),
    '  <Scheduler>',
    `    <RunEveryNMinutes>${settings.runEveryNMinutes}</RunEveryNMinutes>`,
    '  </Scheduler>',
    el('IsReadOnly', 'false'),
    '</QBWCXML>',
    '',
  ].join('\r\n');
}
