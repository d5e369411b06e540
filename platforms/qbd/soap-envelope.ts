import { escapeXml, parseXml } from './xml-tree.js';

/** The Web Connector's SOAP namespace; QBWC insists on it for every method and parameter [C: QBWC WSDL]. */
export const QBWC_NAMESPACE = 'http://developer.intuit.com/';
const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/';

export class SoapRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SoapRequestError';
  }
}

export interface SoapCall {
  method: string;
  /** Parameters by name as text ('' when present but empty, absent when not sent). */
  params: Record<string, string>;
}

/** Reads a SOAP 1.1 request envelope carrying one QBWC method call. */
export function parseSoapCall(body: string): SoapCall {
  let root;
  try {
    root = parseXml(body).root;
  } catch (error) {
    throw new SoapRequestError(`not XML: ${(error as Error).message}`);
  }
  if (root.local !== 'Envelope' || root.namespace !== SOAP_ENV) throw new SoapRequestError('not a SOAP 1.1 envelope');
  const soapBody = root.children.find((c) => c.local === 'Body' && c.namespace === SOAP_ENV);
  const call = soapBody?.children[0];
  if (!call) throw new SoapRequestError('the SOAP body holds no method call');
  if (call.namespace !== QBWC_NAMESPACE) throw new SoapRequestError(`${call.local} is not in the ${QBWC_NAMESPACE} namespace`);
  const params: Record<string, string> = {};
  for (const p of call.children) params[p.local] = p.text;
  return { method: call.local, params };
}

function envelope(inner: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<soap:Envelope xmlns:soap="${SOAP_ENV}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
    `<soap:Body>${inner}</soap:Body></soap:Envelope>`
  );
}

/** `<methodResponse><methodResult>…</methodResult></methodResponse>`; a string array as `<string>` items (authenticate). */
export function soapResult(method: string, result: string | number | string[]): string {
  const value = Array.isArray(result) ? result.map((s) => `<string>${escapeXml(s)}</string>`).join('') : escapeXml(String(result));
  return envelope(`<${method}Response xmlns="${QBWC_NAMESPACE}"><${method}Result>${value}</${method}Result></${method}Response>`);
}

export function soapFault(faultString: string): string {
  return envelope(`<soap:Fault><faultcode>soap:Client</faultcode><faultstring>${escapeXml(faultString)}</faultstring></soap:Fault>`);
}

/** A QBWC method call as the Web Connector sends it (used by the Web Connector emulator and tests). */
export function soapCallEnvelope(method: string, params: Record<string, string | number>): string {
  const inner = Object.entries(params)
    .map(([k, v]) => `<${k}>${escapeXml(String(v))}</${k}>`)
    .join('');
  return envelope(`<${method} xmlns="${QBWC_NAMESPACE}">${inner}</${method}>`);
}

/** Reads a QBWC method's result from a SOAP response: text, or the `<string>` items of an array. */
export function parseSoapResult(body: string, method: string): { text: string; strings: string[] } {
  const root = parseXml(body).root;
  const soapBody = root.children.find((c) => c.local === 'Body');
  const response = soapBody?.children[0];
  if (!response) throw new SoapRequestError('the SOAP response has no body');
  if (response.local === 'Fault') throw new SoapRequestError(`SOAP fault: ${response.children.find((c) => c.local === 'faultstring')?.text ?? ''}`);
  if (response.local !== `${method}Response`) throw new SoapRequestError(`expected ${method}Response, got ${response.local}`);
  const result = response.children.find((c) => c.local === `${method}Result`);
  return { text: result?.text ?? '', strings: result?.children.filter((c) => c.local === 'string').map((c) => c.text) ?? [] };
}
