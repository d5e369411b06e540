import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { countParkedOrders, resumeParkedOrders, type ResumeSelection, type ResumeSignal } from '../runtime/parked-order-resumer.js';
import { countAllParkedOtherSyncs, describeOtherSync, resumeAllParkedOtherSyncs } from '../runtime/parked-other-syncs.js';
import { BATCH, parkedOrderResumeWorkflow, parkedOrderResumeProgressQuery, type ParkedOrderResumeProgress } from '../workflows/parked-order-resume.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The API process's one queue of bulk resumptions (buildApi): the operator routes and the console both use
     * it, so a mapping saved in the console and one PUT through the API share the same rate.
     */
    bulkResumptions?: BackgroundResumptions;
  }
}

/** Parked orders of the selection, and the other syncs it wakes after them. */
async function countParked(db: Database, selection: ResumeSelection): Promise<number> {
  return (await countParkedOrders(db, selection)) + (await countAllParkedOtherSyncs(db, selection));
}

/** Orders signalled per second when the deployment does not say (RESUME_RATE_PER_SECOND). */
export const DEFAULT_RESUME_RATE_PER_SECOND = 5;

/** About how often (seconds) a replay's progress moves: its batches hold this many seconds of orders. */
const PROGRESS_EVERY_SECONDS = 2;

/** Orders per batch of a replay at this rate: progress moves every couple of seconds, however slow the rate. */
export function replayBatchSize(perSecond: number): number {
  return Math.min(BATCH, Math.max(1, Math.ceil(perSecond * PROGRESS_EVERY_SECONDS)));
}

/** Workflow id prefix of bulk resumptions started from the API; the rest of the id is the resume id. */
export const RESUME_ID_PREFIX = 'parked-order-resume/';

/**
 * Resumptions run after the HTTP answer: a backlog of thousands at a few a second would outlast any request
 * timeout. A replay runs as parkedOrderResumeWorkflow (survives an API restart, reports done / total); the
 * small resumptions of a saved mapping or prefix run here, one batch after the other, and a batch lost to a
 * restart costs little: parked orders re-check on their own timers.
 */
export class BackgroundResumptions {
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  /** Orders queued in process so far (every caller's: the API's routes and the console's pages). */
  queuedOrders = 0;

  constructor(
    private readonly temporal: Client,
    private readonly db: Database,
    private readonly taskQueue: string,
    private readonly perSecond: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Starts the resumption; answers how many parked orders (and other syncs it wakes) it covers now and its id (null when none). */
  async start(selection: ResumeSelection & { routeId: string }, signal: ResumeSignal, reason: string): Promise<{ queued: number; resumeId: string | null }> {
    const queued = await countParked(this.db, selection);
    if (queued === 0) return { queued: 0, resumeId: null };
    const resumeId = `route-${selection.routeId}-${randomUUID()}`;
    await this.temporal.workflow.start(parkedOrderResumeWorkflow, {
      workflowId: `${RESUME_ID_PREFIX}${resumeId}`,
      taskQueue: this.taskQueue,
      args: [{ selection, signal, perSecond: this.perSecond, batchSize: replayBatchSize(this.perSecond) }],
    });
    this.log.info({ selection, signal, reason, queued, resumeId }, 'parked orders resuming');
    return { queued, resumeId };
  }

  /** An operator's replay of a route's backlog (all parked orders, or those waiting for one kind of help): the API's and the console's. */
  async replay(routeId: string, waitingFor: ResumeSelection['waitingFor'], reason: string): Promise<{ queued: number; resumeId: string | null }> {
    return this.start({ routeId, ...(waitingFor ? { waitingFor } : {}) }, waitingFor === 'reconnect' ? 'reconnected' : 'retry', reason);
  }

  /**
   * Queues an in-process resumption (a saved mapping or prefix) and returns how many parked orders it covers now, with
   * the refunds and payouts it wakes after them (`includeRefundSyncs`, `includePayoutSyncs`), at the same rate.
   */
  async enqueue(selection: ResumeSelection & { routeId: string }, signal: ResumeSignal, reason: string): Promise<number> {
    const queued = await countParked(this.db, selection);
    if (queued === 0) return 0;
    this.queuedOrders += queued;
    this.pending++;
    this.chain = this.chain.then(async () => {
      try {
        const report = await resumeParkedOrders(this.temporal, this.db, selection, signal, this.perSecond);
        const others = await resumeAllParkedOtherSyncs(this.temporal, this.db, selection, this.perSecond);
        const failed = [...report.failed, ...others.failed.map(({ sync, reason }) => ({ sync: describeOtherSync(sync), reason }))];
        const level = failed.length > 0 ? 'warn' : 'info';
        this.log[level]({ selection, signal, reason, resumed: report.resumed + others.resumed, failed }, 'parked orders resumed');
      } catch (error) {
        this.log.error({ err: error, selection, signal, reason }, 'resuming parked orders failed');
      } finally {
        this.pending--;
      }
    });
    return queued;
  }

  /** Progress of a resumption started here, or null for an unknown id. */
  async progress(resumeId: string): Promise<ParkedOrderResumeProgress | null> {
    try {
      return await this.temporal.workflow.getHandle(`${RESUME_ID_PREFIX}${resumeId}`).query(parkedOrderResumeProgressQuery);
    } catch (error) {
      if ((error as Error).name === 'WorkflowNotFoundError') return null;
      throw error;
    }
  }

  /** Resolves once every in-process batch has run (graceful shutdown, tests). */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.chain;
  }
}
