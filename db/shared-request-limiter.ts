import { and, eq, lt, sql } from 'drizzle-orm';
import type { RequestLimiter, RequestLimits, RequestPriority } from '../domain/request-limiter.js';
import type { Database } from './database.js';
import { ledgerRequestGates, ledgerRequestSlots } from './schema.js';

export interface SharedRequestLimiterOptions {
  /** How long a request counts as in flight at most (its process may have died); QBO cuts requests off at 120 s. */
  leaseMs?: number;
  /** How often a request waiting only for another process's request to finish looks again. */
  pollMs?: number;
}

type Decision = { release: () => Promise<void> } | { waitMs: number };

interface Waiter {
  /** 0 for a write, 1 for a read: lower goes first. */
  rank: number;
  /** Arrival order among equals. */
  seq: number;
  grant: (release: () => Promise<void>) => void;
  fail: (error: unknown) => void;
}

const CLEANUP_EVERY = 200;

/**
 * How many of a process's waiting requests to one company ask the database for a slot at once. Each slot costs a
 * transaction; on a worker busy with hundreds of syncs one takes longer than the 125 ms between slots at 8/s, so a
 * single asker held a backlog to about 3 requests a second. The company's row lock keeps several askers as exact as
 * one (as it does for several processes).
 */
const ASKERS_PER_COMPANY = 3;

/**
 * The per-company limiter every worker process shares, in PostgreSQL (PGlite too): a row lock per company
 * serialises taking a slot, and the slots of the last window say how many were sent and are still open.
 * Within a process, requests to one company wait in one queue and a few askers take slots for them from the
 * database; each slot goes, when it is granted, to the waiting write that came first, else to the read that came first.
 */
export class SharedRequestLimiter implements RequestLimiter {
  private readonly waiting = new Map<string, Waiter[]>();
  /** Askers taking slots for each company's queue (at most ASKERS_PER_COMPANY). */
  private readonly askers = new Map<string, number>();
  private arrivals = 0;
  private readonly wakers = new Map<string, Set<() => void>>();
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly windowMs: number;
  private taken = 0;

  constructor(
    private readonly db: Database,
    private readonly limits: RequestLimits,
    options: SharedRequestLimiterOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 120_000;
    this.pollMs = options.pollMs ?? 50;
    this.windowMs = limits.windowMs ?? 60_000;
  }

  acquire(companyKey: string, priority: RequestPriority = 'read'): Promise<() => Promise<void>> {
    return new Promise((grant, fail) => {
      const queue = this.waiting.get(companyKey) ?? [];
      queue.push({ rank: priority === 'write' ? 0 : 1, seq: this.arrivals++, grant, fail });
      this.waiting.set(companyKey, queue);
      const askers = this.askers.get(companyKey) ?? 0;
      if (askers < Math.min(ASKERS_PER_COMPANY, queue.length)) void this.pump(companyKey);
    });
  }

  /** Takes the company's slots one at a time while requests wait, and hands each to the first in line at that moment. */
  private async pump(companyKey: string): Promise<void> {
    this.askers.set(companyKey, (this.askers.get(companyKey) ?? 0) + 1);
    try {
      for (let queue = this.waiting.get(companyKey); queue && queue.length > 0; queue = this.waiting.get(companyKey)) {
        let slot: { release: () => Promise<void> } | { error: unknown };
        try {
          slot = { release: await this.waitForSlot(companyKey) };
        } catch (error) {
          slot = { error };
        }
        if (queue.length === 0) {
          // Another asker served the last waiter meanwhile: give the slot back unused.
          if ('release' in slot) await slot.release();
          break;
        }
        const next = queue.reduce((best, w) => (w.rank < best.rank || (w.rank === best.rank && w.seq < best.seq) ? w : best));
        queue.splice(queue.indexOf(next), 1);
        if ('release' in slot) next.grant(slot.release);
        else next.fail(slot.error);
      }
    } finally {
      const left = (this.askers.get(companyKey) ?? 1) - 1;
      if (left > 0) this.askers.set(companyKey, left);
      else {
        this.askers.delete(companyKey);
        if (this.waiting.get(companyKey)?.length === 0) this.waiting.delete(companyKey);
      }
    }
  }

  async pauseFor(companyKey: string, ms: number): Promise<void> {
    const until = sql`clock_timestamp() + ${`${Math.max(0, Math.round(ms))} milliseconds`}::interval`;
    await this.db
      .insert(ledgerRequestGates)
      .values({ companyKey, pausedUntil: until })
      .onConflictDoUpdate({
        target: ledgerRequestGates.companyKey,
        set: { pausedUntil: sql`greatest(${ledgerRequestGates.pausedUntil}, ${until})` },
      });
  }

  private async waitForSlot(companyKey: string): Promise<() => Promise<void>> {
    for (;;) {
      const decision = await this.tryTake(companyKey);
      if ('release' in decision) return decision.release;
      await new Promise<void>((resolve) => {
        // A request of this process finishing frees a slot now; no need to wait for the poll.
        const wakers = this.wakers.get(companyKey) ?? new Set<() => void>();
        this.wakers.set(companyKey, wakers);
        const timer = setTimeout(done, decision.waitMs);
        wakers.add(done);
        function done() {
          clearTimeout(timer);
          wakers.delete(done);
          resolve();
        }
      });
    }
  }

  private tryTake(companyKey: string): Promise<Decision> {
    return this.db.transaction(async (tx) => {
      await tx.insert(ledgerRequestGates).values({ companyKey }).onConflictDoNothing();
      const [gate] = await tx
        .select({
          nowMs: sql<number>`(extract(epoch from clock_timestamp()) * 1000)::float8`,
          pausedUntilMs: sql<number | null>`(extract(epoch from ${ledgerRequestGates.pausedUntil}) * 1000)::float8`,
        })
        .from(ledgerRequestGates)
        .where(eq(ledgerRequestGates.companyKey, companyKey))
        .for('update');
      const nowMs = Number(gate!.nowMs);
      const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
      const slots = ledgerRequestSlots;
      const [counts] = await tx
        .select({
          inFlight: sql<number>`(count(*) filter (where ${slots.finishedAt} is null and ${slots.leaseUntil} > ${at(nowMs)}))::int`,
          lastSecond: sql<number>`(count(*) filter (where ${slots.startedAt} > ${at(nowMs - 1000)}))::int`,
          lastWindow: sql<number>`(count(*) filter (where ${slots.startedAt} > ${at(nowMs - this.windowMs)}))::int`,
          oldestInSecondMs: sql<number | null>`(extract(epoch from min(${slots.startedAt}) filter (where ${slots.startedAt} > ${at(nowMs - 1000)})) * 1000)::float8`,
          secondLatestStartedMs: sql<number | null>`(extract(epoch from (array_agg(${slots.startedAt} order by ${slots.startedAt} desc))[2]) * 1000)::float8`,
          oldestInWindowMs: sql<number | null>`(extract(epoch from min(${slots.startedAt}) filter (where ${slots.startedAt} > ${at(nowMs - this.windowMs)})) * 1000)::float8`,
        })
        .from(slots)
        .where(and(eq(slots.companyKey, companyKey), sql`${slots.startedAt} > ${at(nowMs - Math.max(this.windowMs, this.leaseMs))}`));
      const waits: number[] = [];
      const pausedUntil = gate!.pausedUntilMs === null ? null : Number(gate!.pausedUntilMs);
      if (pausedUntil !== null && pausedUntil > nowMs) waits.push(pausedUntil - nowMs);
      // Spread out, not N at once each second: a burst taken at a window's edge meets the burst before it in
      // QuickBooks' own 1-second window as soon as one request is a few ms slower on its way than the next. At most
      // 2 slots in any 2/N s (250 ms at 8/s): 11 slots then span at least 1.25 s, so requests may reach QuickBooks
      // up to 250 ms unevenly before it counts 11 in a second; and a slot taken late is caught up by the next one.
      const pairMs = 2_000 / this.limits.perSecond;
      const secondLatest = counts!.secondLatestStartedMs === null ? null : Number(counts!.secondLatestStartedMs);
      if (secondLatest !== null && secondLatest + pairMs > nowMs) waits.push(secondLatest + pairMs - nowMs);
      if (counts!.lastSecond >= this.limits.perSecond) waits.push(Number(counts!.oldestInSecondMs) + 1000 - nowMs);
      if (counts!.lastWindow >= this.limits.perMinute) waits.push(Number(counts!.oldestInWindowMs) + this.windowMs - nowMs);
      if (counts!.inFlight >= this.limits.maxInFlight) waits.push(this.pollMs);
      if (waits.length > 0) return { waitMs: Math.max(1, Math.ceil(Math.max(...waits))) };

      const [slot] = await tx
        .insert(slots)
        .values({ companyKey, startedAt: new Date(nowMs), leaseUntil: new Date(nowMs + this.leaseMs) })
        .returning({ id: slots.id });
      if (++this.taken % CLEANUP_EVERY === 0) {
        await tx.delete(slots).where(and(eq(slots.companyKey, companyKey), lt(slots.startedAt, new Date(nowMs - Math.max(this.windowMs, this.leaseMs) - 60_000))));
      }
      return { release: () => this.release(companyKey, slot!.id) };
    });
  }

  private async release(companyKey: string, id: number): Promise<void> {
    try {
      await this.db.update(ledgerRequestSlots).set({ finishedAt: sql`clock_timestamp()` }).where(eq(ledgerRequestSlots.id, id));
    } catch {
      // The database went away (a restart, a closing process): the slot's lease frees it, so the request in hand is
      // not failed for it and no caller sees an unhandled rejection.
    } finally {
      for (const wake of [...(this.wakers.get(companyKey) ?? [])]) wake();
    }
  }
}
