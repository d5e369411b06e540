import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import { createKeyring, keyIdOf } from '../security/keyring.js';
import { encryptingDataConverter, KeyringPayloadCodec, PayloadKeyNotFoundError } from '../security/payload-codec.js';
import { orderSyncStatusQuery } from '../workflows/order-sync.js';
import { OPERATOR_TOKEN, SyncHarness, TEMPORAL_UI_ORIGIN } from './support/sync-harness.js';
import { TEST_PAYLOAD_KEY } from './support/test-data-converter.js';

const CUSTOMER = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@example.org' };
const NOTE = 'Leave it with the porter at Ockham Park';

/** Every payload of a history but search attributes (indexed by the server, so never encrypted; ours hold ids only). */
function payloadsOf(history: object): Payload[] {
  const found: Payload[] = [];
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    if ('data' in node && 'metadata' in node) found.push(node as Payload);
    for (const [key, value] of Object.entries(node)) if (key !== 'searchAttributes' && key !== 'indexedFields') if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) walk(value);
  };
  walk(history);
  return found;
}

const json = (payloads: Payload[]) => ({
  payloads: payloads.map((p) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v!).toString('base64')])),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  })),
});
const text = (payload: { data: string }) => Buffer.from(payload.data, 'base64').toString('utf8');

describe('customer data in Temporal history', () => {
  let harness: SyncHarness;
  let workflowId: string;
  let startInput: Payload;
  let allPayloads: Payload[];

  beforeAll(async () => {
    harness = await SyncHarness.start();
    const order = harness.shopify.control.createOrder({
      name: '#3101',
      currency: 'GBP',
      email: CUSTOMER.email,
      note: NOTE,
      customer: CUSTOMER,
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }],
    });
    workflowId = orderSyncWorkflowId(harness.routeId, order.id);
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    const history = await harness.handle(workflowId).fetchHistory();
    startInput = history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]! as Payload;
    allPayloads = payloadsOf(history);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('books the order and answers queries, while the history holds no name, email or note in plain text', async () => {
    // The customer really travelled through Temporal: the ledger got a customer named after them.
    const customers = harness.qbo.control.documents(harness.realmId, 'Customer').map((c) => String((c.record as { DisplayName: unknown }).DisplayName));
    expect(customers.some((name) => name.includes('Lovelace'))).toBe(true);
    expect((await harness.handle(workflowId).query(orderSyncStatusQuery)).state).toBeDefined();

    const raw = await harness.handle(workflowId).fetchHistory();
    const bytes = Buffer.from(JSON.stringify(raw, (_key, value) => (ArrayBuffer.isView(value) ? Buffer.from(value as Uint8Array).toString('latin1') : value)), 'latin1');
    for (const secret of ['Lovelace', CUSTOMER.email, 'Ockham']) expect(bytes.includes(secret), secret).toBe(false);
    expect(allPayloads.length).toBeGreaterThan(5);
    for (const payload of allPayloads) expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe('binary/encrypted');
    const keyIds = new Set(allPayloads.map((p) => Buffer.from(p.metadata!['encryption-key-id']!).toString()));
    expect(keyIds).toEqual(new Set([keyIdOf(TEST_PAYLOAD_KEY)]));
  });

  it('the codec endpoint decodes what the worker encoded for an operator, and refuses anyone else', async () => {
    const decode = (headers: Record<string, string>, payloads = allPayloads) =>
      harness.api.inject({ method: 'POST', url: '/codec/decode', headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, payload: json(payloads) });

    const refused = await decode({});
    expect(refused.statusCode).toBe(401);
    expect(refused.body).not.toContain('Lovelace');
    expect((await decode({ authorization: 'Bearer not-the-token' })).statusCode).toBe(401);

    const decoded = await decode({ authorization: `Bearer ${OPERATOR_TOKEN}`, origin: TEMPORAL_UI_ORIGIN });
    expect(decoded.statusCode).toBe(200);
    expect(decoded.headers['access-control-allow-origin']).toBe(TEMPORAL_UI_ORIGIN);
    const plain = decoded.json().payloads as { metadata: Record<string, string>; data: string }[];
    expect(plain).toHaveLength(allPayloads.length);
    expect(Buffer.from(plain[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    // The workflow's input among them (the run's summary, user metadata, is encoded by the same codec).
    const input = plain.map((p) => text(p)).find((t) => t.startsWith('{') && t.includes('"routeId"'));
    expect(JSON.parse(input ?? '{}')).toMatchObject({ routeId: harness.routeId });
    expect(plain.some((p) => text(p).includes('Lovelace'))).toBe(true);

    // Encode answers what decode opens again (the UI encodes what an operator types, e.g. a signal's argument).
    const encoded = await harness.api.inject({ method: 'POST', url: '/codec/encode', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }, payload: { payloads: [plain[0]] } });
    expect(encoded.statusCode).toBe(200);
    const again = await harness.api.inject({ method: 'POST', url: '/codec/decode', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }, payload: encoded.json() });
    expect(again.json().payloads[0]).toEqual(plain[0]);
  });

  it('Temporal UI in a browser: CORS preflight for the UI origin, then a session cookie in place of the token', async () => {
    const preflight = await harness.api.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: TEMPORAL_UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(TEMPORAL_UI_ORIGIN);
    expect(preflight.headers['access-control-allow-credentials']).toBe('true');
    expect(String(preflight.headers['access-control-allow-headers'])).toContain('x-namespace');
    const stranger = await harness.api.inject({ method: 'OPTIONS', url: '/codec/decode', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();

    const wrong = await harness.api.inject({ method: 'POST', url: '/codec/session', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'token=guess' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const signIn = await harness.api.inject({ method: 'POST', url: '/codec/session', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `token=${OPERATOR_TOKEN}` });
    expect(signIn.statusCode).toBe(200);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0]!;
    expect(String(signIn.headers['set-cookie'])).toMatch(/HttpOnly/);

    const withCookie = await harness.api.inject({ method: 'POST', url: '/codec/decode', headers: { cookie, origin: TEMPORAL_UI_ORIGIN }, payload: json([startInput]) });
    expect(withCookie.statusCode).toBe(200);
    expect(JSON.parse(text(withCookie.json().payloads[0]))).toMatchObject({ routeId: harness.routeId });
    const forged = await harness.api.inject({ method: 'POST', url: '/codec/decode', headers: { cookie: `${cookie.split('.')[0]}.AAAA` }, payload: json([startInput]) });
    expect(forged.statusCode).toBe(401);
  });

  it('after a key rotation, payloads under the old key open while it is listed and fail naming its id once retired', async () => {
    const newKey = randomBytes(32);
    const oldId = keyIdOf(TEST_PAYLOAD_KEY);
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const rotating = new Client({ connection, dataConverter: encryptingDataConverter(createKeyring(newKey, [TEST_PAYLOAD_KEY])) });
      expect((await rotating.workflow.getHandle(workflowId).result()).outcome).toBe('created');

      const retired = new Client({ connection, dataConverter: encryptingDataConverter(createKeyring(newKey)) });
      const error = await retired.workflow.getHandle(workflowId).result().then(() => null, (e: unknown) => e as Error);
      expect(error).toBeInstanceOf(PayloadKeyNotFoundError);
      expect(error!.message).toContain(oldId);
      expect(error!.message).toContain('LEDGERBRIDGE_DECRYPTION_KEYS');
    } finally {
      await connection.close();
    }

    // The codec endpoint says the same to the operator when the key it needs is not (or no longer) listed.
    const codec = new KeyringPayloadCodec(createKeyring(newKey));
    await expect(codec.decode([startInput])).rejects.toThrow(new RegExp(`key id ${oldId}`));
    const underUnknownKey = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"x"') }]);
    const answer = await harness.api.inject({ method: 'POST', url: '/codec/decode', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }, payload: json(underUnknownKey) });
    expect(answer.statusCode).toBe(422);
    expect(answer.json().error.message).toContain(`key id ${keyIdOf(newKey)}`);
  });

  it('plain payloads (histories recorded before encryption) pass through decoding unchanged', async () => {
    const plain: Payload = { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('{"routeId":"r"}') };
    const [out] = await new KeyringPayloadCodec(createKeyring(TEST_PAYLOAD_KEY)).decode([plain]);
    expect(out).toBe(plain);
  });

  it('a payload whose data was altered does not open', async () => {
    const codec = new KeyringPayloadCodec(createKeyring(TEST_PAYLOAD_KEY));
    const [sealed] = await codec.encode([{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from('"Ada"') }]);
    const data = Buffer.from(sealed!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data }])).rejects.toThrow(/does not open/);
  });
});
