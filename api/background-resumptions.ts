import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/database.js';
import { countParkedOrders, type ResumeSelection, type ResumeSignal } from '../runtime/parked-order-resumer.js';
import { parkedOrderResumeWorkflow, parkedOrderResumeProgressQuery, type ParkedOrderResumeProgress } from '../workflows/parked-order-resume.js';

/** Workflow id prefix of bulk resumptions started from the API; the rest of the id is the resume id. */
const RESUME_ID_PREFIX = 'parked-order-resume/';

/**
 * Bulk resumptions (replay, mapping saved) run as parkedOrderResumeWorkflow, after the HTTP answer: a backlog
 * of thousands at a few a second would outlast any request timeout, and a workflow survives an API restart
 * and reports its progress (done / total).
 */
export class BackgroundResumptions {
  constructor(
    private readonly temporal: Client,
    private readonly db: Database,
    private readonly taskQueue: string,
    private readonly perSecond: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Starts the resumption; answers how many parked orders it covers now and its id (null when none). */
  async start(selection: ResumeSelection & { routeId: string }, signal: ResumeSignal, reason: string): Promise<{ queued: number; resumeId: string | null }> {
    const queued = await countParkedOrders(this.db, selection);
    if (queued === 0) return { queued: 0, resumeId: null };
    const resumeId = `route-${selection.routeId}-${randomUUID()}`;
    await this.temporal.workflow.start(parkedOrderResumeWorkflow, {
      workflowId: `${RESUME_ID_PREFIX}${resumeId}`,
      taskQueue: this.taskQueue,
      args: [{ selection, signal, perSecond: this.perSecond }],
    });
    this.log.info({ selection, signal, reason, queued, resumeId }, 'parked orders resuming');
    return { queued, resumeId };
  }

  /** Starts the resumption and answers how many parked orders it covers. */
  async enqueue(selection: ResumeSelection & { routeId: string }, signal: ResumeSignal, reason: string): Promise<number> {
    return (await this.start(selection, signal, reason)).queued;
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

  /** Nothing runs in this process any more; kept for graceful shutdown hooks. */
  async idle(): Promise<void> {}
}
