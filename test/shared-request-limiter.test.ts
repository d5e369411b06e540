import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type OpenDatabase } from '../db/database.js';
import { SharedRequestLimiter } from '../db/shared-request-limiter.js';
import type { AccessTokenProvider } from '../domain/credentials.js';
import { RateLimitedError } from '../domain/platform-errors.js';
import type { RequestLimiter, RequestLimits } from '../domain/request-limiter.js';
import { startQboEmulator, type RunningQboEmulator } from '../emulators/qbo/emulator.js';
import { QboClient } from '../platforms/qbo/qbo-client.js';
import { createQboPlatform, qboEndpointsAt } from '../platforms/qbo/qbo-platform.js';
import { QBO_REQUEST_LIMITS } from '../platforms/qbo/qbo-limits.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { startQboEmulatorProcess, type QboEmulatorProcess } from './support/qbo-emulator-process.js';

// Two worker processes booking into one QuickBooks company: each has its own limiter and client, and only the
// database is shared (on PostgreSQL through separate connection pools). Together they must stay within the company's limits.
const REALM = '9130350000000555';
// The company of the test at QuickBooks' real limits, on an emulator in a process of its own (as QuickBooks is
// elsewhere): when it reads a request does not depend on this process's event loop, busy with PGlite.
const PACED_REALM = '9130350000000556';
let pacedEmulator: QboEmulatorProcess;
const REDIRECT_URI = 'http://127.0.0.1:1/integrations/qbo/callback';
let emulator: RunningQboEmulator;
let database: TestDatabase;
let second: OpenDatabase | null = null;
let token: string;
let pacedToken: string;

const tokens: AccessTokenProvider = {
  getAccessToken: async () => token,
  refreshAfterRejection: async () => null,
};

/** A "process": its own limiter object over its own handle on the shared database, and its own client. */
function workerProcess(limits: RequestLimits, which: 'first' | 'second'): QboClient {
  const db = which === 'second' && second ? second.db : database.db;
  return new QboClient({ apiBaseUrl: emulator.urls.apiBaseUrl, realmId: REALM, tokens, defaultRetryAfterMs: 800, limiter: new SharedRequestLimiter(db, limits, { pollMs: 20 }) });
}

beforeAll(async () => {
  database = await createTestDatabase();
  if (database.url) second = await openDatabase({ url: database.url });
  emulator = await startQboEmulator({
    clientId: 'lb-client',
    clientSecret: 'lb-secret',
    rateLimits: { perSecond: 10_000, perMinute: 100_000, maxInFlight: 10 },
    companies: [{ realmId: REALM, companyName: 'Shared Limits Co' }],
  });
  pacedEmulator = await startQboEmulatorProcess({
    clientId: 'lb-client',
    clientSecret: 'lb-secret',
    rateLimits: { perSecond: 10, perMinute: 500, maxInFlight: 10 },
    companies: [{ realmId: PACED_REALM, companyName: 'Real Limits Co' }],
  });
  const connect = async (urls: RunningQboEmulator['urls']) => {
    const platform = createQboPlatform({ clientId: 'lb-client', clientSecret: 'lb-secret', environment: 'sandbox', ...qboEndpointsAt(urls) });
    const consent = await fetch(platform.authorizeUrl({}, 'state-1', REDIRECT_URI), { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location')!);
    return (await platform.completeAuthorization(Object.fromEntries(callback.searchParams), REDIRECT_URI)).credentials.accessToken;
  };
  token = await connect(emulator.urls);
  pacedToken = await connect(pacedEmulator.urls);
});

/**
 * A limiter whose requests taken in its first second reach QuickBooks `ms` later than the ones after (a GC pause,
 * a busy event loop, a slow network path): the time between taking a slot and arriving is never the same twice.
 */
function heldUpInFirstSecond(limiter: RequestLimiter, ms: number): RequestLimiter {
  const started = Date.now();
  return {
    acquire: async (companyKey, priority) => {
      const release = await limiter.acquire(companyKey, priority);
      if (Date.now() - started < 1_000) await new Promise((resolve) => setTimeout(resolve, ms));
      return release;
    },
    pauseFor: (companyKey, ms) => limiter.pauseFor(companyKey, ms),
  };
}

afterAll(async () => {
  await emulator?.close();
  await pacedEmulator?.close();
  await second?.close();
  await database?.close();
});

beforeEach(() => {
  emulator.control.setLatency(0);
  emulator.control.clearFaults();
  emulator.control.clearRequestLog();
});

describe('shared request limiter (PostgreSQL / PGlite)', () => {
  it('a backlog at QuickBooks\' real limits is never throttled when some requests reach it 150 ms late', async () => {
    const pacedTokens: AccessTokenProvider = { getAccessToken: async () => pacedToken, refreshAfterRejection: async () => null };
    const [a, b] = (['first', 'second'] as const).map((which) => {
      const db = which === 'second' && second ? second.db : database.db;
      const limiter = heldUpInFirstSecond(new SharedRequestLimiter(db, QBO_REQUEST_LIMITS), 150);
      return new QboClient({ apiBaseUrl: pacedEmulator.urls.apiBaseUrl, realmId: PACED_REALM, tokens: pacedTokens, limiter });
    }) as [QboClient, QboClient];
    const lookups = Array.from({ length: 12 }, (_, i) => [a, b].map((c) => c.query(`select * from Customer where DisplayName = 'Nobody ${i}'`))).flat();
    const results = await Promise.allSettled(lookups);
    const log = await pacedEmulator.requestLog();
    expect(log.filter((r) => r.outcome === 'throttled')).toEqual([]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(log).toHaveLength(24);
  });

  it('keeps two processes together at 10 requests in flight: the company never refuses one', async () => {
    emulator.control.setLatency(300);
    emulator.control.resetPeakInFlight(REALM);
    const limits = { perSecond: 1_000, perMinute: 100_000, maxInFlight: 10 };
    const [a, b] = [workerProcess(limits, 'first'), workerProcess(limits, 'second')];
    const answers = await Promise.all([...Array.from({ length: 15 }, () => a.preferences()), ...Array.from({ length: 15 }, () => b.preferences())]);
    expect(answers).toHaveLength(30);
    expect(emulator.control.requestLog().filter((r) => r.outcome === 'throttled')).toHaveLength(0);
    expect(emulator.control.peakInFlight(REALM)).toBeLessThanOrEqual(10);
    expect(emulator.control.peakInFlight(REALM)).toBeGreaterThan(1);
  });

  it('counts both processes against one window: the requests past the allowance wait for the window to move', async () => {
    // A "minute" of 1.5 s, so the test need not wait a real minute.
    const limits = { perSecond: 1_000, perMinute: 6, maxInFlight: 10, windowMs: 1_500 };
    const [a, b] = [workerProcess(limits, 'first'), workerProcess(limits, 'second')];
    const started = Date.now();
    const done: number[] = [];
    await Promise.all([
      ...Array.from({ length: 4 }, () => a.preferences().then(() => done.push(Date.now() - started))),
      ...Array.from({ length: 4 }, () => b.preferences().then(() => done.push(Date.now() - started))),
    ]);
    done.sort((x, y) => x - y);
    // Six fit in the first window; the seventh and eighth went only once the first had left it.
    expect(done[6]!).toBeGreaterThanOrEqual(1_400);
    expect(emulator.control.requestLog()).toHaveLength(8);
  });

  it('a throttle seen by one process holds the other back too (3001 without Retry-After: the default wait)', async () => {
    const limits = { perSecond: 1_000, perMinute: 100_000, maxInFlight: 10 };
    const [a, b] = [workerProcess(limits, 'first'), workerProcess(limits, 'second')];
    emulator.control.throttleNext(1);
    const refused = await a.preferences().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterMs).toBe(800);
    const started = Date.now();
    await b.preferences();
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
    expect(emulator.control.requestLog().map((r) => r.outcome)).toEqual(['throttled', 'answered']);
  });

  it('a booking waiting behind lookups is sent next: a backlog books as it goes, not after all its lookups', async () => {
    // Long enough that the booking is queued while the first lookup is still being answered, even on a loaded machine.
    emulator.control.setLatency(500);
    emulator.control.resetPeakInFlight(REALM);
    const client = workerProcess({ perSecond: 1_000, perMinute: 100_000, maxInFlight: 1 }, 'first');
    const lookups = Array.from({ length: 4 }, (_, i) => client.query(`select * from Customer where DisplayName = 'Nobody ${i}'`));
    // Queued after the lookups, once the first of them is in the ledger's hands (the others wait for its slot).
    await vi.waitFor(() => expect(emulator.control.peakInFlight(REALM)).toBe(1), { timeout: 30_000, interval: 5 });
    const booking = client.create('customer', 'Customer', { DisplayName: 'Booked Early' }, { idempotencyKey: 'limiter-priority-1', subject: 'customer Booked Early' });
    await Promise.all([...lookups, booking]);
    const sent = emulator.control.requestLog().map((r) => (r.method === 'POST' && r.url.includes('/customer') ? 'booking' : 'lookup'));
    expect(sent).toEqual(['lookup', 'booking', 'lookup', 'lookup', 'lookup']);
  });
});
