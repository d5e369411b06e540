import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnLoopback, type RunningServer } from '../emulators/common/listen.js';
import { QbdCompanyEmulator } from '../emulators/qbd/company-emulator.js';
import { WebConnectorEmulator } from '../emulators/qbd/web-connector.js';
import { registerQbwcRoutes, type QbwcAccount, type QbwcDelivery, type QbwcSessionEvent } from '../platforms/qbd/qbwc-endpoint.js';
import { generateQbwcPassword, hashQbwcPassword, verifyQbwcPasswordHash, verifySealedQbwcPassword } from '../platforms/qbd/qbwc-password.js';
import { InMemoryQbwcWorkQueue } from '../platforms/qbd/qbwc-work-queue.js';
import { qwcFile, QwcSettingsError, stableGuid } from '../platforms/qbd/qwc-file.js';
import { parseSoapResult, soapCallEnvelope } from '../platforms/qbd/soap-envelope.js';
import { qbxmlRequestSet, readQbxmlResponses } from '../platforms/qbd/qbxml-envelope.js';
import { childNamed, childText, leaf, parseXml, type XmlNode } from '../platforms/qbd/xml-tree.js';
import { secretBoxFromKey } from '../runtime/secret-box.js';

/**
 * The Web Connector emulator against the product's QBWC SOAP endpoint over HTTP: a session authenticates, takes
 * the queued qbXML one request set at a time, QuickBooks (the company emulator) runs them, and each answer reaches
 * the product's callback; a wrong password gets "nvu", a closed company file a connectionError with its HRESULT.
 */

const PASSWORD = 'correct horse battery';
const FILE = 'C:\\Company Files\\Desk Books.qbw';

interface Harness {
  server: RunningServer;
  queue: InMemoryQbwcWorkQueue;
  deliveries: QbwcDelivery[];
  events: QbwcSessionEvent[];
  qb: QbdCompanyEmulator;
  connector: WebConnectorEmulator;
  url: string;
}

const harnesses: { app: FastifyInstance; connector: WebConnectorEmulator }[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    await h.connector.stop();
    await h.app.close();
  }
});

async function start(options: { password?: string; intervalMs?: number; failingDeliveries?: number; qbxmlMajor?: number; companyFilePath?: string } = {}): Promise<Harness> {
  let failing = options.failingDeliveries ?? 0;
  const stored = await hashQbwcPassword(PASSWORD);
  const account: QbwcAccount = { integrationId: 'qbd-1', userName: 'ledgerbridge-qbd-1', ...(options.companyFilePath !== undefined ? { companyFilePath: options.companyFilePath } : {}) };
  const queue = new InMemoryQbwcWorkQueue();
  const deliveries: QbwcDelivery[] = [];
  const events: QbwcSessionEvent[] = [];
  const app = Fastify({ logger: false, forceCloseConnections: true });
  await registerQbwcRoutes(app, {
    path: '/qbwc',
    accounts: {
      findByUserName: async (userName) => (userName === account.userName ? account : null),
      verifyPassword: async (_account, password) => verifyQbwcPasswordHash(stored, password),
    },
    queue,
    onDelivery: async (d) => {
      if (failing > 0) {
        failing -= 1;
        throw new Error('database unavailable');
      }
      deliveries.push(d);
    },
    onSessionEvent: (e) => events.push(e),
  });
  const server = await listenOnLoopback(app);
  const url = `${server.origin}/qbwc`;
  const qb = new QbdCompanyEmulator({
    company: { companyName: 'Desk Books Inc', companyFilePath: FILE, items: [{ name: 'tee-blu-l', type: 'NonInventory', price: '20.00' }] },
    ...(options.qbxmlMajor !== undefined ? { highestQbxmlMajorVersion: options.qbxmlMajor } : {}),
  });
  const connector = new WebConnectorEmulator({
    appUrl: url,
    userName: account.userName,
    password: options.password ?? PASSWORD,
    company: qb,
    intervalMs: options.intervalMs ?? 60_000,
  });
  harnesses.push({ app, connector });
  return { server, queue, deliveries, events, qb, connector, url };
}

const set = (body: string) => `<?xml version="1.0" encoding="utf-8"?><?qbxml version="16.0"?><QBXML><QBXMLMsgsRq onError="stopOnError">${body}</QBXMLMsgsRq></QBXML>`;
const ref = (name: string, fullName: string): XmlNode => ({ name, children: [{ name: 'FullName', text: fullName }] });
const customerAdd = qbxmlRequestSet([
  { name: 'CustomerAddRq', attributes: { requestID: 'c1' }, children: [{ name: 'CustomerAdd', children: [leaf('Name', 'Jane Doe'), leaf('Email', 'jane@example.com')] }] },
]);
const receiptAdd = qbxmlRequestSet([
  {
    name: 'SalesReceiptAddRq',
    attributes: { requestID: 'r1' },
    children: [
      {
        name: 'SalesReceiptAdd',
        children: [
          ref('CustomerRef', 'Jane Doe'),
          leaf('TxnDate', '2026-11-29'),
          leaf('RefNumber', '1001'),
          leaf('Memo', 'ledgerbridge order #1001'),
          { name: 'SalesReceiptLineAdd', children: [ref('ItemRef', 'tee-blu-l'), leaf('Quantity', 1), leaf('Rate', '20.00')] },
        ],
      },
    ],
  },
]);

function statusOf(delivery: QbwcDelivery): string | undefined {
  return delivery.kind === 'response' ? String(readQbxmlResponses(delivery.qbxml)[0]!.statusCode) : undefined;
}

describe('Web Connector emulator ↔ the product QBWC endpoint', () => {
  it('authenticates, delivers a queued CustomerAdd and SalesReceiptAdd one at a time, hands both answers to the callback and closes', async () => {
    const h = await start();
    h.queue.enqueue({ id: 'req-1', integrationId: 'qbd-1', qbxml: customerAdd });
    h.queue.enqueue({ id: 'req-2', integrationId: 'qbd-1', qbxml: receiptAdd });
    const run = await h.connector.runOnce();
    expect(run.outcome).toBe('finished');
    expect(run.calls.map((c) => c.method)).toEqual([
      'serverVersion',
      'clientVersion',
      'authenticate',
      'sendRequestXML',
      'receiveResponseXML',
      'sendRequestXML',
      'receiveResponseXML',
      'closeConnection',
    ]);
    const [, , auth, , firstAnswer, , secondAnswer, close] = run.calls;
    expect(auth!.result).toMatch(/^[0-9a-f-]{36}\|$/); // a ticket, and "" = use the company file open now
    expect(auth!.params.strPassword).toBe('********');
    expect([firstAnswer!.result, secondAnswer!.result, close!.result]).toEqual(['50', '100', 'OK']);
    expect(h.deliveries.map((d) => [d.requestId, d.kind, statusOf(d)])).toEqual([
      ['req-1', 'response', '0'],
      ['req-2', 'response', '0'],
    ]);
    const [booked] = readQbxmlResponses((h.deliveries[1] as { qbxml: string }).qbxml);
    expect(booked).toMatchObject({ request: 'SalesReceiptAdd', requestID: 'r1', statusCode: 0, statusSeverity: 'Info' });
    expect(childText(booked!.rets[0]!, 'TotalAmount')).toBe('20.00');
    expect(await h.queue.pendingCount('qbd-1')).toBe(0);
    expect(h.events.map((e) => e.kind)).toEqual(['authenticated', 'company-opened', 'closed']);
    expect(h.events[1]).toMatchObject({ qbXMLMajorVers: 16, qbXMLCountry: 'US', companyFile: FILE });
  });

  it('answers "none" when nothing waits: the visit counts, QuickBooks is not opened', async () => {
    const h = await start();
    const run = await h.connector.runOnce();
    expect(run.outcome).toBe('nothing-to-do');
    expect(run.calls.map((c) => c.method)).toEqual(['serverVersion', 'clientVersion', 'authenticate', 'closeConnection']);
    expect(h.events).toEqual([expect.objectContaining({ kind: 'authenticated', hasWork: false }), expect.objectContaining({ kind: 'closed' })]);
    expect(h.qb.requestSets).toEqual([]);
  });

  it('answers a wrong password with "nvu": nothing is sent, the queue keeps its work', async () => {
    const h = await start({ password: 'wrong password' });
    h.queue.enqueue({ id: 'req-1', integrationId: 'qbd-1', qbxml: customerAdd });
    const run = await h.connector.runOnce();
    expect(run.outcome).toBe('invalid-user');
    expect(run.calls.find((c) => c.method === 'authenticate')!.result).toMatch(/^[0-9a-f-]{36}\|nvu$/);
    expect(h.events).toEqual([{ kind: 'authentication-failed', userName: 'ledgerbridge-qbd-1' }]);
    expect(h.deliveries).toEqual([]);
    expect(await h.queue.pendingCount('qbd-1')).toBe(1);
    h.connector.setPassword(PASSWORD);
    expect((await h.connector.runOnce()).outcome).toBe('finished');
  });

  it('reports a closed company file through connectionError with its HRESULT; the request waits for the next visit', async () => {
    const h = await start();
    h.queue.enqueue({ id: 'req-1', integrationId: 'qbd-1', qbxml: customerAdd });
    h.qb.closeCompanyFile();
    const run = await h.connector.runOnce();
    expect(run.outcome).toBe('connection-error');
    expect(run.calls.map((c) => [c.method, c.result])).toContainEqual(['connectionError', 'done']);
    expect(h.events.find((e) => e.kind === 'connection-error')).toMatchObject({ integrationId: 'qbd-1', hresult: '0x80040408', message: 'Could not start QuickBooks.' });
    expect(h.deliveries).toEqual([]);
    expect(await h.queue.pendingCount('qbd-1')).toBe(1);
    h.qb.openCompanyFile();
    expect((await h.connector.runOnce()).outcome).toBe('finished');
    expect(h.deliveries.map((d) => statusOf(d))).toEqual(['0']);
  });

  it('names the company file to open: the right one books, another one ends in connectionError', async () => {
    const right = await start({ companyFilePath: FILE.toUpperCase() });
    right.queue.enqueue({ id: 'req-1', integrationId: 'qbd-1', qbxml: customerAdd });
    const run = await right.connector.runOnce();
    expect(run.calls.find((c) => c.method === 'authenticate')!.result).toMatch(/\|C:\\COMPANY FILES\\DESK BOOKS\.QBW$/);
    expect(run.outcome).toBe('finished');

    const wrong = await start({ companyFilePath: 'C:\\Company Files\\Other Books.qbw' });
    wrong.queue.enqueue({ id: 'req-1', integrationId: 'qbd-1', qbxml: customerAdd });
    expect((await wrong.connector.runOnce()).outcome).toBe('connection-error');
    expect(wrong.events.find((e) => e.kind === 'connection-error')).toMatchObject({ hresult: '0x80040410' });
    expect(wrong.qb.requestSets).toEqual([]);
  });

  it('delivers QuickBooks\' parse error (0x80040400) for a request set that breaks the schema, and QBWC shows getLastError', async () => {
    const h = await start();
    h.queue.enqueue({ id: 'bad', integrationId: 'qbd-1', qbxml: set(`<CustomerAddRq><CustomerAdd><Email>x@example.com</Email><Name>X</Name></CustomerAdd></CustomerAddRq>`) });
    h.queue.enqueue({ id: 'next', integrationId: 'qbd-1', qbxml: customerAdd });
    const run = await h.connector.runOnce();
    expect(run.outcome).toBe('error');
    expect(run.calls.find((c) => c.method === 'receiveResponseXML')!.result).toBe('-1');
    expect(run.message).toContain('0x80040400');
    expect(h.deliveries).toEqual([expect.objectContaining({ requestId: 'bad', kind: 'error', hresult: '0x80040400', message: 'QuickBooks found an error when parsing the provided XML text stream.' })]);
    expect((await h.connector.runOnce()).outcome).toBe('finished');
    expect(h.deliveries.map((d) => d.requestId)).toEqual(['bad', 'next']);
  });

  it('sends a request again when the session that took it was abandoned (QBWC crashed before answering)', async () => {
    const h = await start();
    h.queue.enqueue({ id: 'req-1', integrationId: 'qbd-1', qbxml: customerAdd });
    const soap = async (method: string, params: Record<string, string | number>) =>
      parseSoapResult(await (await fetch(h.url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: soapCallEnvelope(method, params) })).text(), method);
    const [ticket] = (await soap('authenticate', { strUserName: 'ledgerbridge-qbd-1', strPassword: PASSWORD })).strings;
    const taken = await soap('sendRequestXML', { ticket: ticket!, strHCPResponse: '', strCompanyFileName: FILE, qbXMLCountry: 'US', qbXMLMajorVers: 16, qbXMLMinorVers: 0 });
    expect(taken.text).toBe(customerAdd);
    // No receiveResponseXML, no closeConnection: the next update gets the same request.
    const run = await h.connector.runOnce();
    expect(run.outcome).toBe('finished');
    expect(h.deliveries.map((d) => [d.requestId, statusOf(d)])).toEqual([['req-1', '0']]);
    expect((await soap('getLastError', { ticket: ticket! })).text).toContain('unknown or has expired');
  });

  it('keeps a request whose answer the product could not take, and takes it at the next update', async () => {
    const h = await start({ failingDeliveries: 1 });
    h.queue.enqueue({ id: 'req-1', integrationId: 'qbd-1', qbxml: customerAdd });
    const failed = await h.connector.runOnce();
    expect(failed.outcome).toBe('http-error');
    expect(failed.calls.at(-1)).toMatchObject({ method: 'receiveResponseXML', result: 'HTTP 500' });
    expect(await h.queue.pendingCount('qbd-1')).toBe(1);
    const again = await h.connector.runOnce();
    expect(again.outcome).toBe('finished');
    // QuickBooks ran the set twice: the second answer is QuickBooks' own refusal of the name (the sync's query-before-add prevents this).
    expect(h.deliveries.map((d) => [d.requestId, statusOf(d)])).toEqual([['req-1', '3100']]);
  });

  it('holds a request back from a QuickBooks too old to read its qbXML version, and says what to update', async () => {
    const h = await start({ qbxmlMajor: 13 });
    h.queue.enqueue({ id: 'req-1', integrationId: 'qbd-1', qbxml: customerAdd });
    const run = await h.connector.runOnce();
    expect(run.outcome).toBe('server-stopped');
    expect(run.message).toBe('This QuickBooks Desktop reads qbXML up to 13.0 and ledgerbridge sends 16.0: update QuickBooks Desktop (2023 R3 or later) to sync.');
    expect(h.qb.requestSets).toEqual([]);
    expect(h.events).toContainEqual(expect.objectContaining({ kind: 'qbxml-version-too-old', supported: 13, needed: '16.0' }));
    expect(await h.queue.pendingCount('qbd-1')).toBe(1);
  });

  it('polls on its interval until stopped', async () => {
    const h = await start({ intervalMs: 40 });
    h.connector.start();
    await h.connector.nextRun((r) => r.outcome === 'nothing-to-do');
    h.queue.enqueue({ id: 'req-1', integrationId: 'qbd-1', qbxml: customerAdd });
    await h.connector.nextRun((r) => r.outcome === 'finished');
    await h.connector.stop();
    const runs = h.connector.runs.length;
    expect(h.deliveries.map((d) => d.requestId)).toEqual(['req-1']);
    h.queue.enqueue({ id: 'req-2', integrationId: 'qbd-1', qbxml: receiptAdd });
    // Stopped: a later visit happens only when asked for.
    expect(h.connector.runs.length).toBe(runs);
    expect((await h.connector.runOnce()).outcome).toBe('finished');
  });

  it('refuses what is not a QBWC SOAP call with a SOAP fault, and forgets unknown tickets', async () => {
    const h = await start();
    const post = (body: string) => fetch(h.url, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body });
    expect((await fetch(h.url)).status).toBe(200);
    const notSoap = await post('<hello/>');
    expect(notSoap.status).toBe(500);
    expect(await notSoap.text()).toContain('<faultstring>not a SOAP 1.1 envelope</faultstring>');
    const unknown = await post(soapCallEnvelope('deleteEverything', {}));
    expect(await unknown.text()).toContain('deleteEverything is not a Web Connector method');
    const stale = await post(soapCallEnvelope('sendRequestXML', { ticket: 'not-a-ticket', strHCPResponse: '', strCompanyFileName: '', qbXMLCountry: 'US', qbXMLMajorVers: 16, qbXMLMinorVers: 0 }));
    expect(await stale.text()).toContain('<sendRequestXMLResult></sendRequestXMLResult>');
    const lastError = await post(soapCallEnvelope('getLastError', { ticket: 'not-a-ticket' }));
    expect(await lastError.text()).toContain('unknown or has expired');
  });
});

describe('Web Connector password and .qwc file', () => {
  it('verifies a password against its hash or its sealed value, never another', async () => {
    const password = generateQbwcPassword();
    expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{24}$/);
    const hash = await hashQbwcPassword(password);
    expect(hash).not.toContain(password);
    expect(await verifyQbwcPasswordHash(hash, password)).toBe(true);
    expect(await verifyQbwcPasswordHash(hash, `${password}x`)).toBe(false);
    const box = secretBoxFromKey(randomBytes(32));
    const sealed = box.encrypt(password, 'integrations:qbd-1:qbwc-password');
    expect(verifySealedQbwcPassword(box, sealed, 'integrations:qbd-1:qbwc-password', password)).toBe(true);
    expect(verifySealedQbwcPassword(box, sealed, 'integrations:qbd-1:qbwc-password', password.toLowerCase())).toBe(false);
  });

  it('writes a .qwc with the Web Connector\'s elements, stable GUIDs, https only off localhost', () => {
    const settings = {
      appName: 'ledgerbridge — QuickBooks Desktop #1',
      appDescription: 'Books Shopify orders into QuickBooks Desktop',
      appUrl: 'https://sync.example.com/qbwc',
      appSupport: 'https://sync.example.com/support',
      userName: 'ledgerbridge-qbd-1',
      ownerId: stableGuid('ledgerbridge', 'owner'),
      fileId: stableGuid('ledgerbridge-file', 'qbd-1'),
      runEveryNMinutes: 5,
    };
    expect(settings.fileId).toBe(stableGuid('ledgerbridge-file', 'qbd-1'));
    expect(settings.fileId).not.toBe(stableGuid('ledgerbridge-file', 'qbd-2'));
    const root = parseXml(qwcFile(settings)).root;
    expect(root.local).toBe('QBWCXML');
    expect(root.children.map((c) => c.local)).toEqual(['AppName', 'AppID', 'AppURL', 'AppDescription', 'AppSupport', 'UserName', 'OwnerID', 'FileID', 'QBType', 'Scheduler', 'IsReadOnly']);
    expect(childText(root, 'QBType')).toBe('QBFS');
    expect(childText(childNamed(root, 'Scheduler')!, 'RunEveryNMinutes')).toBe('5');
    expect(childText(root, 'FileID')).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/);
    expect(qwcFile(settings)).not.toContain('Password');
    expect(() => qwcFile({ ...settings, appUrl: 'http://sync.example.com/qbwc', appSupport: 'http://sync.example.com/s' })).toThrow(QwcSettingsError);
    expect(() => qwcFile({ ...settings, appSupport: 'https://elsewhere.example.org/' })).toThrow(QwcSettingsError);
    expect(() => qwcFile({ ...settings, appUrl: 'http://localhost:3000/qbwc', appSupport: 'http://localhost:3000/' })).not.toThrow();
  });
});
