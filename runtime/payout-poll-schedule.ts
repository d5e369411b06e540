import type { Client } from '@temporalio/client';
import { payoutPollWorkflow } from '../workflows/payout-poll.js';
import { keepRouteSchedule } from './route-schedule.js';
import { deleteScheduleIfPresent } from './schedule-removal.js';

/** Shopify Payments pays out at most daily: looking every 6 hours books a payout the same day it is issued. */
export const DEFAULT_PAYOUT_POLL_EVERY_MS = 6 * 3_600_000;

/** Business identity: one schedule per route; its runs are the same `payout-poll/<route>` a person's poll is. */
export function payoutPollScheduleId(routeId: string): string {
  return `payout-poll/${routeId}`;
}

/** Makes the route's payout poll schedule exist (on route creation, and whenever a poll is asked for by hand). */
export function keepPayoutPollSchedule(runtime: { client: Client; taskQueue: string; everyMs?: number }, routeId: string): Promise<boolean> {
  return keepRouteSchedule(runtime.client, {
    scheduleId: payoutPollScheduleId(routeId),
    routeId,
    workflow: payoutPollWorkflow,
    args: [{ routeId, since: null }],
    taskQueue: runtime.taskQueue,
    everyMs: runtime.everyMs ?? DEFAULT_PAYOUT_POLL_EVERY_MS,
    offsetMs: 0,
    note: "Looks for the shop's new payouts and books each as one deposit from the clearing account.",
  });
}

/** Deletes the route's payout poll schedule; false when there was none. */
export function deletePayoutPollSchedule(client: Client, routeId: string): Promise<boolean> {
  return deleteScheduleIfPresent(client, payoutPollScheduleId(routeId));
}
