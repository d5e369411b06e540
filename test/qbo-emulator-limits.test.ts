import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startQboEmulator, type RunningQboEmulator } from '../emulators/qbo/emulator.js';
import { createQboPlatform, qboEndpointsAt } from '../platforms/qbo/qbo-platform.js';

// The emulator's requestid modes, duplicate-number preference, concurrency limit and latency
// (emulators/qbo/FIDELITY-limits.md), driven over HTTP as a client would meet them.
const REALM = '9130350000000077';
const REDIRECT_URI = 'http://127.0.0.1:1/integrations/qbo/callback';
let emulator: RunningQboEmulator;
let token: string;

async function api(path: string, body?: unknown) {
  const response = await fetch(`${emulator.origin}/v3/company/${REALM}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: text.startsWith('{') ? JSON.parse(text) : null };
}

async function control(path: string, body: unknown) {
  const response = await fetch(`${emulator.origin}/_emulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: (await response.json()) as any };
}

const customers = (name: string) => emulator.control.documents(REALM, 'Customer').filter((d) => d.record.DisplayName === name);
const receipt = (docNumber: string) => ({
  DocNumber: docNumber,
  Line: [{ DetailType: 'SalesItemLineDetail', Amount: 10, SalesItemLineDetail: { ItemRef: { value: '11' }, Qty: 1, UnitPrice: 10 } }],
});

beforeAll(async () => {
  emulator = await startQboEmulator({
    clientId: 'lb-client',
    clientSecret: 'lb-secret',
    rateLimits: { perSecond: 10_000, perMinute: 100_000 },
    companies: [{ realmId: REALM, companyName: 'Limits Co', items: [{ id: '11', name: 'Widget', sku: 'WID-1', unitPrice: 10 }] }],
  });
  const platform = createQboPlatform({ clientId: 'lb-client', clientSecret: 'lb-secret', environment: 'sandbox', ...qboEndpointsAt(emulator.urls) });
  const consent = await fetch(platform.authorizeUrl({}, 'state-1', REDIRECT_URI), { redirect: 'manual' });
  const callback = new URL(consent.headers.get('location')!);
  token = (await platform.completeAuthorization(Object.fromEntries(callback.searchParams), REDIRECT_URI)).credentials.accessToken;
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(() => {
  emulator.control.setRequestIdMode('replay-all');
  emulator.control.setLatency(0);
  emulator.control.setRateLimits({ maxInFlight: 10 });
});

describe('QBO emulator requestid modes', () => {
  it('replay-all (default): a repeated requestid gets the original answer, a fault included, even for a corrected body', async () => {
    const fault = await api('/customer?requestid=fix-1', { DisplayName: 'x'.repeat(501) });
    expect(fault.status).toBe(400);
    const corrected = await api('/customer?requestid=fix-1', { DisplayName: 'Fixed Name' });
    expect(corrected.status).toBe(400);
    expect(corrected.json.Fault.Error[0].code).toBe(fault.json.Fault.Error[0].code);
    expect(customers('Fixed Name')).toHaveLength(0);
    expect(emulator.control.requestLog().filter((r) => r.requestId === 'fix-1').map((r) => r.outcome)).toEqual(['answered', 'replayed']);
    // Same for success: the second create writes nothing.
    const first = await api('/customer?requestid=ok-1', { DisplayName: 'Once Only' });
    expect((await api('/customer?requestid=ok-1', { DisplayName: 'Once Only' })).json).toEqual(first.json);
    expect(customers('Once Only')).toHaveLength(1);
  });

  it('replay-success: a fault is not remembered, the corrected retry under the same requestid is processed', async () => {
    emulator.control.setRequestIdMode('replay-success');
    expect((await api('/customer?requestid=fix-2', { DisplayName: 'y'.repeat(501) })).status).toBe(400);
    expect((await api('/customer?requestid=fix-2', { DisplayName: 'Fixed Later' })).status).toBe(200);
    expect((await api('/customer?requestid=fix-2', { DisplayName: 'Fixed Later' })).status).toBe(200);
    expect(customers('Fixed Later')).toHaveLength(1);
  });

  it('ignore: requestid does nothing, a repeated write is processed again', async () => {
    emulator.control.setRequestIdMode('ignore');
    expect((await api('/customer?requestid=same-3', { DisplayName: 'Twice Sent' })).status).toBe(200);
    const again = await api('/customer?requestid=same-3', { DisplayName: 'Twice Sent' });
    expect(again.status).toBe(400);
    expect(again.json.Fault.Error[0].code).toBe('6240');
    emulator.control.setDuplicateDocNumbersAllowed(REALM, true);
    try {
      await api('/salesreceipt?requestid=same-4', receipt('IGN-1'));
      await api('/salesreceipt?requestid=same-4', receipt('IGN-1'));
    } finally {
      emulator.control.setDuplicateDocNumbersAllowed(REALM, false);
    }
    expect(emulator.control.documents(REALM, 'SalesReceipt').filter((d) => d.docNumber === 'IGN-1')).toHaveLength(2);
  });
});

describe('QBO emulator duplicate document numbers (company preference)', () => {
  it('answers 6140 by default and books a second document under the number when the company allows duplicates', async () => {
    expect((await api('/salesreceipt', receipt('DUP-9'))).status).toBe(200);
    const refused = await api('/salesreceipt', receipt('DUP-9'));
    expect(refused.json.Fault.Error[0].code).toBe('6140');
    expect((await control(`/realms/${REALM}/duplicate-doc-numbers`, { allowed: true })).json).toEqual({ duplicateDocNumbersAllowed: true });
    try {
      expect((await api('/salesreceipt', receipt('DUP-9'))).status).toBe(200);
    } finally {
      await control(`/realms/${REALM}/duplicate-doc-numbers`, { allowed: false });
    }
    expect(emulator.control.documents(REALM, 'SalesReceipt').filter((d) => d.docNumber === 'DUP-9')).toHaveLength(2);
  });
});

describe('QBO emulator concurrency and latency', () => {
  it('refuses the 11th request of a company in flight with the production throttle: XML Fault 3001, no Retry-After', async () => {
    // Long enough that all eleven are in flight together on a busy machine.
    emulator.control.setLatency(3_000);
    emulator.control.resetPeakInFlight(REALM);
    const results = await Promise.all(Array.from({ length: 11 }, () => api('/preferences')));
    const refused = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 200)).toHaveLength(10);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.headers.get('content-type')).toContain('application/xml');
    expect(refused[0]!.text).toContain('<Error code="3001">');
    expect(refused[0]!.headers.get('retry-after')).toBeNull();
    expect(emulator.control.peakInFlight(REALM)).toBe(10);
    // Once they are answered, the company takes requests again.
    emulator.control.setLatency(0);
    expect((await api('/preferences')).status).toBe(200);
  });

  it('is driven over HTTP too: request-id mode, latency, request count', async () => {
    expect((await control('/request-id-mode', { mode: 'nonsense' })).status).toBe(400);
    expect((await control('/request-id-mode', { mode: 'ignore' })).json).toEqual({ requestIdMode: 'ignore' });
    expect((await control('/latency', { ms: 5 })).json).toEqual({ latencyMs: 5 });
    emulator.control.clearRequestLog();
    await api('/preferences');
    await api('/preferences');
    const counted = await fetch(`${emulator.origin}/_emulator/realms/${REALM}/request-count`).then((r) => r.json() as Promise<any>);
    expect(counted.requests).toBe(2);
    expect(counted.peakInFlight).toBeGreaterThanOrEqual(1);
  });
});

