import './support/quiet-runtime.js';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { appConfigFromEnv } from '../runtime/app-config.js';
import { openServices, startWorker, type LedgerbridgeServices } from '../runtime/ledgerbridge-services.js';
import { orderSyncWorkflow } from '../workflows/order-sync.js';
import { createConnectedRoute } from './support/connected-route.js';
import { startEmulatedPlatforms, type EmulatedPlatforms } from './support/emulated-platforms.js';

/**
 * A Temporal that only takes mutual TLS (the dev server behind a TLS-terminating proxy on loopback, certificates
 * made here with openssl), reached through a profile in temporal.toml, as a Temporal Cloud or secured cluster is.
 */
const SHOPIFY_APP = { apiKey: 'tls-shopify-key', apiSecret: 'tls-shopify-secret' };
const QBO_APP = { clientId: 'tls-qbo-client', clientSecret: 'tls-qbo-secret' };
const KEY = Buffer.alloc(32, 5);

let dir: string;
let proxy: TlsServer;
let proxyAddress: string;
const clientNames: string[] = [];
let emulated: EmulatedPlatforms;

async function openssl(...args: string[]): Promise<void> {
  await promisify(execFile)('openssl', args, { cwd: dir });
}

/** A CA, a server certificate for localhost and a client certificate, all signed by that CA. */
async function makeCertificates(): Promise<void> {
  await openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=ledgerbridge test CA');
  for (const [name, cn, ext] of [
    ['server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'],
    ['client', 'ledgerbridge-worker', 'extendedKeyUsage=clientAuth\n'],
  ] as const) {
    await writeFile(join(dir, `${name}.ext`), ext);
    await openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    await openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '1', '-extfile', `${name}.ext`);
  }
}

/** Terminates mutual TLS on loopback and pipes the plain stream to the dev server's gRPC port. */
async function startTlsProxy(upstream: string): Promise<void> {
  const [host, port] = [upstream.slice(0, upstream.lastIndexOf(':')), Number(upstream.slice(upstream.lastIndexOf(':') + 1))];
  const read = (file: string) => readFile(join(dir, file));
  proxy = createTlsServer(
    { key: await read('server.key'), cert: await read('server.pem'), ca: await read('ca.pem'), requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
    (socket: TLSSocket) => {
      clientNames.push(String(socket.getPeerCertificate().subject?.CN));
      const plain = connectTcp(port, host);
      socket.pipe(plain).pipe(socket);
      socket.on('error', () => plain.destroy());
      plain.on('error', () => socket.destroy());
    },
  );
  proxy.on('tlsClientError', () => {}); // refused handshakes are expected in the negative case
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyAddress = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ledgerbridge-tls-'));
  await makeCertificates();
  await startTlsProxy(inject('temporalAddress'));
  emulated = await startEmulatedPlatforms({ shopifyApp: SHOPIFY_APP, qboApp: QBO_APP, shopName: 'TLS Shop' });
  await writeFile(
    join(dir, 'temporal.toml'),
    [
      '[profile.default]',
      'address = "127.0.0.1:1"',
      '',
      '[profile.secured]',
      `address = "${proxyAddress}"`,
      'namespace = "default"',
      '',
      '[profile.secured.tls]',
      `client_cert_path = "${join(dir, 'client.pem')}"`,
      `client_key_path = "${join(dir, 'client.key')}"`,
      `server_ca_cert_path = "${join(dir, 'ca.pem')}"`,
      'server_name = "localhost"',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await emulated?.close();
  await new Promise((resolve) => proxy?.close(resolve));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Temporal through a TLS profile (temporal.toml, @temporalio/envconfig)', () => {
  it('the client and the worker connect with the profile\'s client certificate and book an order', async () => {
    const config = appConfigFromEnv({
      SHOPIFY_API_KEY: SHOPIFY_APP.apiKey,
      SHOPIFY_API_SECRET: SHOPIFY_APP.apiSecret,
      QBO_CLIENT_ID: QBO_APP.clientId,
      QBO_CLIENT_SECRET: QBO_APP.clientSecret,
      SHOPIFY_EMULATOR_SHOPS: `${emulated.shop}=${emulated.shopify.origin}`,
      QBO_EMULATOR_URL: emulated.qbo.origin,
      LEDGERBRIDGE_ENCRYPTION_KEY: KEY.toString('base64'),
      LEDGERBRIDGE_DATA_DIR: join(dir, 'data'),
      TASK_QUEUE: `tls-${Date.now()}`,
      TEMPORAL_CONFIG_FILE: join(dir, 'temporal.toml'),
      TEMPORAL_PROFILE: 'secured',
    });
    expect(config.temporalAddress).toBe(proxyAddress);
    expect(config.temporalConnection.tls).toMatchObject({ serverNameOverride: 'localhost' });

    const services: LedgerbridgeServices = await openServices(config);
    const { worker, done } = await startWorker(services, { workflowBundlePath: inject('workflowBundlePath') });
    try {
      const route = await createConnectedRoute(services.database.db, emulated, KEY, 'tls');
      const order = emulated.shopify.control.createOrder({ shop: emulated.shop, name: '#8001', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
      const result = await services.client.workflow.execute(orderSyncWorkflow, {
        workflowId: `tls-order-${order.id}`,
        taskQueue: config.taskQueue,
        args: [{ routeId: route.routeId, orderId: order.id, orderName: '#8001' }],
      });
      expect(result.outcome).toBe('created');
      expect(emulated.qbo.control.documents(emulated.realmId, 'SalesReceipt')).toHaveLength(1);
      // Both the client (gRPC-js) and the worker (the SDK's native core) came through the proxy with the client certificate.
      expect(clientNames.length).toBeGreaterThanOrEqual(2);
      expect(new Set(clientNames)).toEqual(new Set(['ledgerbridge-worker']));
    } finally {
      worker.shutdown();
      await done;
      await services.close();
    }
  }, 300_000);

  it('a connection without the client certificate is refused by the same endpoint', async () => {
    const ca = await readFile(join(dir, 'ca.pem'));
    await expect(Connection.connect({ address: proxyAddress, tls: { serverNameOverride: 'localhost', serverRootCACertificate: ca }, connectTimeout: '5s' })).rejects.toThrow();
  });
});
