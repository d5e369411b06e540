import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { CredentialStore } from '../db/credential-store.js';
import { integrations, qbwcRequests } from '../db/schema.js';
import type { AccountingTarget, LedgerSale } from '../domain/accounting-target.js';
import { CredentialsInvalidError, PlatformUnavailableError } from '../domain/platform-errors.js';
import { QbdCompanyEmulator } from '../emulators/qbd/company-emulator.js';
import { WebConnectorEmulator, type WebConnectorRun } from '../emulators/qbd/web-connector.js';
import { qbdOperatorRoutes, qbwcEndpointRoutes } from '../api/qbd-routes.js';
import { QbdWebConnectorAbsentError } from '../platforms/qbd/qbd-errors.js';
import { qbdContactHealth } from '../platforms/qbd/qbd-health.js';
import { createQbdPlatform, type QbdPlatformConfig } from '../platforms/qbd/qbd-platform.js';
import { secretBoxFromKey } from '../runtime/secret-box.js';
import { runHealthChecks } from '../activities/integration-health-checks.js';
import { PlatformRegistry } from '../platforms/registry.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * The QuickBooks Desktop ledger through the product's Web Connector endpoint over HTTP: the company emulator behind
 * the Web Connector emulator, which polls the endpoint on its own schedule, and the ledger calls waiting in the
 * PostgreSQL queue (no Temporal: these are the target's own guarantees; the order workflow is unchanged).
 */
describe('QuickBooks Desktop ledger through the Web Connector', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let company: QbdCompanyEmulator;
  let connector: WebConnectorEmulator;
  let target: AccountingTarget;
  let credentials: CredentialStore;
  let platforms: PlatformRegistry;
  /** The health workflow's verdict, from its four checks as the product runs them. */
  const verdict = async () => (await runHealthChecks({ db: database.db, platforms, credentials }, integrationId)).verdict;
  const integrationId = 'qbd-int-1';

  const config = (appUrl: string): QbdPlatformConfig => ({
    webConnectorUrl: appUrl,
    pollMinutes: 1,
    requestWaitMs: 1_500,
    queuePollMs: 20,
    disconnectedAfterMs: 3 * 3_600_000,
    sessionLingerMs: 300,
  });

  /** Integrations whose health the endpoint asked to check at once. */
  const checksAsked: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    credentials = new CredentialStore(database.db, secretBoxFromKey(Buffer.alloc(32, 7)));
    await database.db.insert(integrations).values({ id: integrationId, platform: 'qbd', number: 1, displayName: 'QuickBooks Desktop #1' });
    app = Fastify();
    const placeholder = config('http://127.0.0.1/qbwc');
    const deps = { db: database.db, credentials, config: placeholder, temporal: null, resumePerSecond: 50, onVisitWhileNotConnected: async (id: string) => void checksAsked.push(id) };
    await app.register(qbwcEndpointRoutes(deps));
    await app.register(qbdOperatorRoutes(deps));
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    placeholder.webConnectorUrl = `${address}/qbwc`;

    const login = await app.inject({ method: 'POST', url: `/integrations/${integrationId}/qbd/web-connector` });
    expect(login.statusCode).toBe(200);
    const { userName, password } = login.json() as { userName: string; password: string };
    company = new QbdCompanyEmulator({
      company: {
        companyName: 'Demo Shop LLC',
        companyFilePath: 'C:\\Company\\demo.qbw',
        items: [
          { name: 'TS-RED-M', price: '20.00' },
          { name: 'Shipping', price: '0.00' },
          { name: 'CA Sales Tax', type: 'SalesTax', price: '7.25' },
        ],
      },
    });
    connector = new WebConnectorEmulator({ appUrl: placeholder.webConnectorUrl, userName, password, company, intervalMs: 40, noOpDelayMs: 10 });
    const platform = createQbdPlatform(placeholder, { requestLimiter: () => ({ acquire: async () => async () => {}, pauseFor: async () => {} }), db: database.db });
    platforms = new PlatformRegistry([platform]);
    target = platform.createTarget({
      integrationId,
      account: {},
      tokens: { getAccessToken: async () => password, refreshAfterRejection: async () => null },
    });
  });

  afterAll(async () => {
    await connector?.stop();
    await app?.close();
    await database?.close();
  });

  beforeEach(async () => {
    connector.setPassword(((await credentials.load(integrationId)).credentials!).accessToken);
    company.openCompanyFile();
    connector.start();
  });

  const sale = async (docNumber: string): Promise<LedgerSale> => {
    const customer = (await target.findCustomer({ email: 'ada@example.com', displayName: 'Ada Lovelace' })) ??
      (await target.createCustomer({ displayName: 'Ada Lovelace', givenName: 'Ada', familyName: 'Lovelace', email: 'ada@example.com', currency: 'USD' }, 'k'));
    const [item] = await target.findItemsBySku(['TS-RED-M']);
    const tax = (await target.listTaxCodes()).find((c) => c.name === 'CA Sales Tax')!;
    const marker = `Shopify #1 order #${docNumber} (id gid://shopify/Order/${docNumber}), booked by ledgerbridge.`;
    return {
      docNumber,
      date: '2026-11-29',
      currency: 'USD',
      customerId: customer.id,
      taxesIncluded: false,
      lines: [{ itemId: item!.id, description: 'Red T-shirt', quantity: 2, unitPrice: '20.00', amount: '40.00', taxCodeId: null, taxable: true, discount: '0.00', tax: '2.90' }],
      discount: '0.00',
      shipping: { amount: '5.00', taxCodeId: null, taxable: false },
      saleTaxCodeId: tax.id,
      totalTax: '2.90',
      total: '47.90',
      marker,
      internalNote: marker,
      customerMemo: null,
    };
  };
  const receiptsNumbered = (ref: string) => company.company.salesReceipts.filter((r) => r.refNumber === ref);

  it('books a sale as one sales receipt at the shop total once the Web Connector polls, and a second booking finds it', async () => {
    const booked = await target.bookSale(await sale('1001'), 'key-1');
    expect(booked).toMatchObject({ docNumber: '1001', total: '47.90', kind: 'sales receipt' });
    expect(booked.marker).toContain('order #1001');
    const again = await target.bookSale(await sale('1001'), 'key-1');
    expect(again.id).toBe(booked.id);
    expect(receiptsNumbered('1001')).toHaveLength(1);
    expect(await target.findBookedSale({ docNumber: '1001', order: { id: null, name: '#1001' } })).toMatchObject({ id: booked.id });
  });

  it('when the Web Connector does not come, the call says so in words and its request never runs later', async () => {
    const ready = await sale('1002');
    await connector.stop();
    const refused = await target.bookSale(ready, 'key-2').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(QbdWebConnectorAbsentError);
    expect((refused as Error).message).toMatch(/^QuickBooks Desktop #1 has not connected since \d{4}-\d\d-\d\d \d\d:\d\d UTC: is the Web Connector running and the company file open\?$/);
    const withdrawn = await database.db.select().from(qbwcRequests).where(eq(qbwcRequests.state, 'abandoned'));
    expect(withdrawn.length).toBeGreaterThan(0);
    connector.start();
    await connector.nextRun((run) => run.outcome === 'nothing-to-do');
    expect(receiptsNumbered('1002')).toHaveLength(0);
    await target.bookSale(ready, 'key-2');
    expect(receiptsNumbered('1002')).toHaveLength(1);
  });

  it('an answer lost after QuickBooks saved the receipt is never sent again: the retry finds the receipt', async () => {
    const ready = await sale('1003');
    connector.loseAnswerOf('SalesReceiptAdd');
    const lost = await target.bookSale(ready, 'key-3').catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(PlatformUnavailableError);
    expect(receiptsNumbered('1003')).toHaveLength(1);
    const retried = await target.bookSale(ready, 'key-3');
    expect(retried.total).toBe('47.90');
    expect(receiptsNumbered('1003')).toHaveLength(1);
    expect(company.processed.filter((p) => p.name === 'SalesReceiptAdd')).toHaveLength(3);
  });

  it('books once whichever way QuickBooks answers a receipt number that is not there (status 500 or 1, FIDELITY.md §3)', async () => {
    for (const [notFound, ref] of [['status-1', '1004'], ['status-500', '1005']] as const) {
      company.notFound = notFound;
      expect(await target.findBookedSale({ docNumber: ref, order: { id: null, name: `#${ref}` } })).toBeNull();
      await target.bookSale(await sale(ref), `key-${ref}`);
      await target.bookSale(await sale(ref), `key-${ref}`);
      expect(receiptsNumbered(ref)).toHaveLength(1);
    }
  });

  it('a closed company file shows as an error with the plain reason', async () => {
    // A visit still lingering from the last test has the file open already: close it between two visits.
    await connector.stop();
    company.closeCompanyFile();
    connector.start();
    // The Web Connector opens QuickBooks only when there is work: a ledger call gives it some.
    const waiting = target.listItems().catch((error: unknown) => error);
    await connector.nextRun((run: WebConnectorRun) => run.outcome === 'connection-error');
    await waiting;
    await expect.poll(verdict).toEqual({
      status: 'error',
      reason: 'QuickBooks Desktop #1: QuickBooks could not be started or the company file is not open. Open QuickBooks Desktop with the company file.',
      check: 'test_call',
    });
    company.openCompanyFile();
    await target.listItems();
    await expect.poll(() => target.checkConnection().then((probe) => probe.accountName, () => 'not yet')).toBe('C:\\Company\\demo.qbw');
  });

  it('a Web Connector visit while the integration reads Reconnect required asks for its health check at once; while paused by an operator, visits do not', async () => {
    await database.db.update(integrations).set({ status: 'reconnect_required' }).where(eq(integrations.id, integrationId));
    checksAsked.length = 0;
    await connector.nextRun((run) => run.outcome === 'finished' || run.outcome === 'nothing-to-do');
    await expect.poll(() => checksAsked).toContain(integrationId);

    // Connected, or paused by an operator (Disconnected, which a visit must not undo): no check asked.
    await database.db.update(integrations).set({ status: 'disconnected' }).where(eq(integrations.id, integrationId));
    // A visit that began before the update may still ask: count from a visit that began after it.
    await connector.nextRun((run) => run.outcome === 'finished' || run.outcome === 'nothing-to-do');
    checksAsked.length = 0;
    await connector.nextRun((run) => run.outcome === 'finished' || run.outcome === 'nothing-to-do');
    await connector.nextRun((run) => run.outcome === 'finished' || run.outcome === 'nothing-to-do');
    expect(checksAsked).toEqual([]);
  });

  it('a wrong password in the Web Connector turns the integration to Reconnect required', async () => {
    connector.setPassword('not-the-password');
    await connector.nextRun((run) => run.outcome === 'invalid-user');
    await expect.poll(() => target.checkConnection().then(() => null, (error: unknown) => error)).toBeInstanceOf(CredentialsInvalidError);
    expect(await verdict()).toEqual({ status: 'reconnect_required', reason: 'Your credentials are invalid or expired. Please reconnect your integration.', check: 'test_call' });
  });

  it('no Web Connector visit for hours reads Disconnected, naming the integration', () => {
    const contact = { integrationId, userName: 'u', lastAuthenticatedAt: new Date('2026-11-29T10:00:00Z'), lastAuthFailureAt: null, lastConnectionErrorAt: null, lastConnectionErrorHresult: null, lastConnectionErrorMessage: null, lastCompanyOpenedAt: null, companyFile: null };
    expect(() => qbdContactHealth('QuickBooks Desktop #1', contact, 3 * 3_600_000, new Date('2026-11-29T13:30:00Z'))).toThrow(
      'Disconnected: QuickBooks Desktop #1 has not connected for 3 hours: is the Web Connector running?',
    );
  });

  it('the operator downloads the .qwc file naming the endpoint and the login', async () => {
    const response = await app.inject({ method: 'GET', url: `/integrations/${integrationId}/qbd/qwc` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toContain('.qwc');
    expect(response.body).toContain('<AppURL>http://127.0.0.1:');
    expect(response.body).toMatch(/<UserName>ledgerbridge-1-[0-9a-f]{8}<\/UserName>/);
    expect(response.body).not.toContain('Password');
  });
});
