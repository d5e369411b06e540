import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXeroEmulator, type RunningXeroEmulator } from '../emulators/xero/emulator.js';

const ORG = 'dddddddd-0000-4000-8000-000000000001';
const SECOND = 'dddddddd-0000-4000-8000-000000000002';
const REDIRECT = 'http://127.0.0.1:1/cb';

let emulator: RunningXeroEmulator;
let token: string;

async function connect(clientSecret = 'l-secret'): Promise<Response> {
  const authorize = new URL(emulator.urls.authorizationEndpoint);
  authorize.search = new URLSearchParams({ response_type: 'code', client_id: 'l-id', redirect_uri: REDIRECT, scope: 'offline_access accounting.settings', state: 's' }).toString();
  const code = new URL((await fetch(authorize, { redirect: 'manual' })).headers.get('location')!).searchParams.get('code')!;
  return fetch(emulator.urls.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`l-id:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT }),
  });
}

function organisation(tenantId = ORG): Promise<Response> {
  return fetch(`${emulator.urls.accountingApiBasePath}/Organisation`, { headers: { authorization: `Bearer ${token}`, 'xero-tenant-id': tenantId, accept: 'application/json' } });
}

async function control(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${emulator.origin}/_emulator${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return response.json();
}

beforeAll(async () => {
  emulator = await startXeroEmulator({ clientId: 'l-id', clientSecret: 'l-secret', organisations: [{ tenantId: ORG, name: 'Limits Ltd' }, { tenantId: SECOND, name: 'Second Ltd' }] });
  emulator.control.authorizeAs([ORG, SECOND]);
  token = ((await (await connect()).json()) as { access_token: string }).access_token;
});

afterAll(async () => {
  await emulator?.close();
});

beforeEach(async () => {
  await control('/latency', { ms: 0 });
  await control('/rate-limits', { perMinute: 60, perDay: 5000, concurrent: 5, appPerMinute: 10_000 });
  await control('/advance-clock', { ms: 61_000 });
});

describe('Xero emulator limits (through the control API, as tests in other processes drive it)', () => {
  it('refuses a sixth call in progress for one tenant with 429 concurrent and no Retry-After', async () => {
    // Long enough that all six overlap even on a loaded machine.
    await control('/latency', { ms: 1500 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => organisation()));
    const refused = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(5);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.headers.get('x-rate-limit-problem')).toBe('concurrent');
    expect(refused[0]!.headers.get('retry-after')).toBeNull();
  });

  it('counts 60 calls a minute per tenant; another tenant is not held back; the next minute is fresh', async () => {
    await control('/rate-limits', { perMinute: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await organisation()).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await organisation(SECOND)).status).toBe(200);
    await control('/advance-clock', { ms: 60_000 });
    const next = await organisation();
    expect(next.status).toBe(200);
    expect(next.headers.get('x-minlimit-remaining')).toBe('2');
  });

  it.each(['fixed', 'rolling'] as const)('counts the minute in %s windows, and Retry-After says when a call fits again', async (kind) => {
    await control('/rate-windows', { kind });
    try {
      await control('/rate-limits', { perMinute: 2 });
      expect((await organisation()).status).toBe(200);
      await control('/advance-clock', { ms: 30_000 });
      expect((await organisation()).status).toBe(200);
      const refused = await organisation();
      expect(refused.status).toBe(429);
      // Fixed: the window opened with the first call, 30 s ago. Rolling: the first call leaves the window then too.
      expect(Number(refused.headers.get('retry-after'))).toBe(30);
      await control('/advance-clock', { ms: 30_000 });
      const after = await organisation();
      expect(after.status).toBe(200);
      // Fixed: a new window with this one call. Rolling: the call made 30 s ago still counts.
      expect(after.headers.get('x-minlimit-remaining')).toBe(kind === 'fixed' ? '1' : '0');
    } finally {
      await control('/rate-windows', { kind: 'fixed' });
    }
  });

  it('holds the whole app to its minute limit across tenants with 429 appminute', async () => {
    await control('/rate-limits', { appPerMinute: 2 });
    expect((await organisation(ORG)).status).toBe(200);
    expect((await organisation(SECOND)).status).toBe(200);
    const third = await organisation(ORG);
    expect(third.status).toBe(429);
    expect(third.headers.get('x-rate-limit-problem')).toBe('appminute');
    expect(third.headers.get('x-appminlimit-remaining')).toBe('0');
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('uses up a day through the control API and rolls it over by moving the clock', async () => {
    await control(`/tenants/${ORG}/spend-daily-calls`, { calls: 5000 });
    const refused = await organisation();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-rate-limit-problem')).toBe('day');
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(23 * 3600);
    expect((await organisation(SECOND)).status).toBe(200);
    await control('/advance-clock', { ms: wait * 1000 });
    await control('/expire-access-tokens', {});
    token = ((await (await connect()).json()) as { access_token: string }).access_token;
    expect((await organisation()).status).toBe(200);
  });

  it('refuses app credentials it does not know at the token endpoint', async () => {
    const refused = await connect('wrong-secret');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: 'invalid_client' });
  });
});
