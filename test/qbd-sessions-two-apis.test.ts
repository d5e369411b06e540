import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../db/credential-store.js';
import { integrations, qbwcSessions } from '../db/schema.js';
import type { AccountingTarget } from '../domain/accounting-target.js';
import { QbdCompanyEmulator } from '../emulators/qbd/company-emulator.js';
import { WebConnectorEmulator } from '../emulators/qbd/web-connector.js';
import { qbdOperatorRoutes, qbwcEndpointRoutes } from '../api/qbd-routes.js';
import { createQbdPlatform, QBWC_PATH, type QbdPlatformConfig } from '../platforms/qbd/qbd-platform.js';
import { secretBoxFromKey } from '../runtime/secret-box.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * A load balancer without sticky sessions in front of two API processes: it hands the Web Connector's calls to
 * each in turn, so every visit's calls are split between them.
 */
async function roundRobin(origins: string[]): Promise<{ url: string; served: number[]; server: Server }> {
  const served = origins.map(() => 0);
  let next = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = next++ % origins.length;
      served[index]! += 1;
      fetch(`${origins[index]}${request.url}`, { method: request.method, headers: { 'content-type': String(request.headers['content-type'] ?? 'text/xml') }, ...(request.method === 'POST' ? { body: Buffer.concat(chunks) } : {}) })
        .then(async (answer) => {
          response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/xml' });
          response.end(Buffer.from(await answer.arrayBuffer()));
        })
        .catch(() => {
          response.writeHead(502);
          response.end();
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served, server };
}

describe('QuickBooks Desktop: two API processes serve one Web Connector, without sticky routing', () => {
  let database: TestDatabase;
  const apps: FastifyInstance[] = [];
  let balancer: Awaited<ReturnType<typeof roundRobin>>;
  let connector: WebConnectorEmulator;
  let target: AccountingTarget;
  const integrationId = 'qbd-two-apis';

  beforeAll(async () => {
    database = await createTestDatabase();
    const credentials = new CredentialStore(database.db, secretBoxFromKey(Buffer.alloc(32, 7)));
    await database.db.insert(integrations).values({ id: integrationId, platform: 'qbd', number: 1, displayName: 'QuickBooks Desktop #1' });
    const config: QbdPlatformConfig = { webConnectorUrl: `http://127.0.0.1${QBWC_PATH}`, pollMinutes: 1, requestWaitMs: 3_000, queuePollMs: 20, disconnectedAfterMs: 3_600_000, sessionLingerMs: 300 };
    // Two processes of the API over one database, as production runs them behind a load balancer.
    const origins: string[] = [];
    for (let i = 0; i < 2; i++) {
      const app = Fastify();
      const deps = { db: database.db, credentials, config, temporal: null, resumePerSecond: 50 };
      await app.register(qbwcEndpointRoutes(deps));
      await app.register(qbdOperatorRoutes(deps));
      origins.push(await app.listen({ host: '127.0.0.1', port: 0 }));
      apps.push(app);
    }
    balancer = await roundRobin(origins);
    config.webConnectorUrl = `${balancer.url}${QBWC_PATH}`;

    const login = (await apps[0]!.inject({ method: 'POST', url: `/integrations/${integrationId}/qbd/web-connector` })).json() as { userName: string; password: string };
    const company = new QbdCompanyEmulator({
      company: { companyName: 'Two Apis LLC', companyFilePath: 'C:\\Company\\two.qbw', items: [{ name: 'MUG-1', price: '8.00' }, { name: 'CAP-2', price: '12.00' }] },
    });
    connector = new WebConnectorEmulator({ appUrl: config.webConnectorUrl, userName: login.userName, password: login.password, company, intervalMs: 50, noOpDelayMs: 10 });
    const platform = createQbdPlatform(config, { requestLimiter: () => ({ acquire: async () => async () => {}, pauseFor: async () => {} }), db: database.db });
    target = platform.createTarget({ integrationId, account: {}, tokens: { getAccessToken: async () => login.password, refreshAfterRejection: async () => null } });
  });

  afterAll(async () => {
    await connector?.stop();
    await new Promise((resolve) => balancer?.server.close(resolve));
    for (const app of apps) await app.close();
    await database?.close();
  });

  it("a visit's calls alternate between the two processes, and each finds the session the other opened: the ledger's answers arrive", async () => {
    const visitDone = connector.nextRun((run) => run.requestSetsProcessed > 0);
    connector.start();
    const items = await target.findItemsBySku(['MUG-1', 'CAP-2']);
    expect(items.map((item) => item.name).sort()).toEqual(['CAP-2', 'MUG-1']);
    const visit = await visitDone;
    // authenticate went to one process and the qbXML exchange to both: had sessions lived in one process's memory,
    // the other would have answered "invalid ticket" and no request would have been processed.
    expect(visit.requestSetsProcessed).toBeGreaterThanOrEqual(1);
    expect(visit.calls.some((call) => call.method === 'getLastError' && /unknown or has expired/.test(call.result))).toBe(false);
    expect(balancer.served[0]).toBeGreaterThan(2);
    expect(balancer.served[1]).toBeGreaterThan(2);
    // A finished visit leaves no session behind (closeConnection, whichever process took it).
    expect(await database.db.select().from(qbwcSessions)).toEqual([]);
  });
});
