import type { Client } from '@temporalio/client';
import { and, count, eq, inArray, type SQL } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { orderSyncs } from '../db/schema.js';
import { resumeParkedOrders, type ResumeSelection, type ResumeSignal } from '../runtime/parked-order-resumer.js';

/**
 * Bulk resumptions (replay, mapping saved) run here, after the HTTP answer, one batch after the
 * other: a backlog of thousands at a few a second would outlast any request timeout, and running
 * batches one at a time keeps the platforms' total load at the configured rate. A batch lost to a
 * restart costs little: parked orders re-check on their own timers.
 */
export class BackgroundResumptions {
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly temporal: Client,
    private readonly db: Database,
    private readonly perSecond: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Queues the resumption and returns how many parked orders it covers right now. */
  async enqueue(selection: ResumeSelection & { routeId: string }, signal: ResumeSignal, reason: string): Promise<number> {
    const queued = await countParked(this.db, selection);
    if (queued === 0) return 0;
    this.pending++;
    this.chain = this.chain.then(async () => {
      try {
        const report = await resumeParkedOrders(this.temporal, this.db, selection, signal, this.perSecond);
        const level = report.failed.length > 0 ? 'warn' : 'info';
        this.log[level]({ selection, signal, reason, resumed: report.resumed, failed: report.failed }, 'parked orders resumed');
      } catch (error) {
        this.log.error({ err: error, selection, signal, reason }, 'resuming parked orders failed');
      } finally {
        this.pending--;
      }
    });
    return queued;
  }

  /** Resolves once every queued batch has run (graceful shutdown, tests). */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.chain;
  }
}

/** Same selection as resumeParkedOrders, counted. */
async function countParked(db: Database, selection: ResumeSelection & { routeId: string }): Promise<number> {
  const conditions: SQL[] = [inArray(orderSyncs.status, ['waiting', 'failed']), eq(orderSyncs.routeId, selection.routeId)];
  if (selection.waitingOn) conditions.push(eq(orderSyncs.waitingOn, selection.waitingOn));
  if (selection.waitingFor) conditions.push(eq(orderSyncs.waitingFor, selection.waitingFor));
  const [row] = await db.select({ n: count() }).from(orderSyncs).where(and(...conditions));
  return row?.n ?? 0;
}
