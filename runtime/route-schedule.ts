import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/workflow';
import { RouteIdKey } from '../workflows/search-attributes.js';

/** One Temporal Schedule of a route: a workflow started every interval (the daily audit, the payout poll). */
export interface RouteSchedule<W extends Workflow> {
  scheduleId: string;
  routeId: string;
  workflow: W;
  args: Parameters<W>;
  taskQueue: string;
  everyMs: number;
  offsetMs: number;
  /** Shown in Temporal UI beside the schedule. */
  note: string;
}

/**
 * Makes the schedule exist (idempotent: on route creation and whenever its work is asked for by hand). A run still
 * going when the next is due makes the next skip; an interval missed while down is caught up once. Answers whether
 * it created it.
 */
export async function keepRouteSchedule<W extends Workflow>(client: Client, schedule: RouteSchedule<W>): Promise<boolean> {
  try {
    await client.schedule.getHandle(schedule.scheduleId).describe();
    return false;
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
  }
  try {
    const options: ScheduleOptions = {
      scheduleId: schedule.scheduleId,
      spec: { intervals: [{ every: schedule.everyMs, offset: schedule.offsetMs }] },
      action: {
        type: 'startWorkflow',
        workflowType: schedule.workflow,
        args: schedule.args,
        taskQueue: schedule.taskQueue,
        workflowId: schedule.scheduleId,
        typedSearchAttributes: [{ key: RouteIdKey, value: schedule.routeId }],
      },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: schedule.everyMs },
      state: { note: schedule.note },
    } as ScheduleOptions;
    await client.schedule.create(options);
  } catch (error) {
    if (error instanceof ScheduleAlreadyRunning) return false;
    throw error;
  }
  return true;
}
