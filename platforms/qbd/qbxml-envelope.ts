import { parseXml, writeXml, type XmlElement, type XmlNode } from './xml-tree.js';

/**
 * The qbXML request set the product queues for the Web Connector, and the response set QuickBooks sends back
 * (../shared/platforms/quickbooks-desktop.md §6).
 */

/** qbXML 16.0 is the newest spec (QuickBooks 2023 R3+); QBWC reports what the installed QuickBooks supports. */
export const QBXML_VERSION = '16.0';

export type QbxmlOnError = 'stopOnError' | 'continueOnError';

/** A request set: `requests` are the `…Rq` elements, in the order QuickBooks should run them. */
export function qbxmlRequestSet(requests: XmlNode[], onError: QbxmlOnError = 'stopOnError', version = QBXML_VERSION): string {
  const body = writeXml({ name: 'QBXML', children: [{ name: 'QBXMLMsgsRq', attributes: { onError }, children: requests }] });
  return `<?xml version="1.0" encoding="utf-8"?><?qbxml version="${version}"?>${body}`;
}

export interface QbxmlResponse {
  /** e.g. `SalesReceiptAdd` (the element name without `Rs`). */
  request: string;
  requestID?: string;
  statusCode: number;
  statusSeverity: string;
  statusMessage: string;
  /** The `…Ret` aggregates. */
  rets: XmlElement[];
}

export class QbxmlResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QbxmlResponseError';
  }
}

/** Reads every response of a response set, in order. */
export function readQbxmlResponses(qbxml: string): QbxmlResponse[] {
  const root = parseXml(qbxml).root;
  const msgs = root.local === 'QBXML' ? root.children.find((c) => c.local === 'QBXMLMsgsRs') : undefined;
  if (!msgs) throw new QbxmlResponseError(`not a qbXML response set (root ${root.local})`);
  return msgs.children.map((rs) => {
    const code = Number(rs.attributes.statusCode);
    if (!rs.local.endsWith('Rs') || !Number.isInteger(code)) throw new QbxmlResponseError(`${rs.local} carries no status`);
    return {
      request: rs.local.slice(0, -2),
      ...(rs.attributes.requestID !== undefined ? { requestID: rs.attributes.requestID } : {}),
      statusCode: code,
      statusSeverity: rs.attributes.statusSeverity ?? '',
      statusMessage: rs.attributes.statusMessage ?? '',
      rets: rs.children,
    };
  });
}
