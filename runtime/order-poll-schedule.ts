import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { orderPollWorkflow, type OrderPollInput } from '../workflows/order-poll.js';
import { IntegrationIdsKey } from '../workflows/search-attributes.js';
import { deleteScheduleIfPresent } from './schedule-removal.js';

/** How often a store is polled when ORDER_POLL_INTERVAL_SECONDS is not set. */
export const DEFAULT_ORDER_POLL_INTERVAL_MS = 5 * 60_000;

/** Where the poll runs and how often; IntegrationHealthRuntime carries the same fields. */
export interface OrderPollRuntime {
  client: Client;
  taskQueue: string;
  /** Between polls; Temporal rounds it to whole seconds. Default DEFAULT_ORDER_POLL_INTERVAL_MS. */
  orderPollIntervalMs?: number;
}

/** Business identity: one schedule per store integration. Its runs are `order-poll/<id>-<time>`. */
export function orderPollScheduleId(integrationId: string): string {
  return `order-poll/${integrationId}`;
}

const PAUSE_NOTE = 'The integration is paused (Disconnected): polling waits for it to be resumed.';
const RUN_NOTE = 'Polls the store for orders whose webhook never arrived.';

/** What keeping the schedule did. */
export type OrderPollScheduleRepair = 'created' | 'paused' | 'unpaused' | 'interval_changed' | 'unchanged';

/**
 * Makes the integration's poll schedule exist, in the state the integration is in (paused while it is paused) and
 * at the configured interval. Idempotent: creating it at connect, on every status change and on every health check
 * is how a schedule someone deleted comes back.
 */
export async function keepOrderPollSchedule(runtime: OrderPollRuntime, integrationId: string, paused: boolean): Promise<OrderPollScheduleRepair> {
  const everyMs = Math.max(1_000, runtime.orderPollIntervalMs ?? DEFAULT_ORDER_POLL_INTERVAL_MS);
  const handle = runtime.client.schedule.getHandle(orderPollScheduleId(integrationId));
  let description;
  try {
    description = await handle.describe();
  } catch (error) {
    if (!(error instanceof ScheduleNotFoundError)) throw error;
    return createSchedule(runtime, integrationId, everyMs, paused);
  }
  if (description.spec.intervals?.[0]?.every !== Math.round(everyMs / 1000) * 1000) {
    await handle.update((previous) => ({ ...previous, spec: { intervals: [{ every: everyMs }] }, state: { ...previous.state, paused, note: paused ? PAUSE_NOTE : RUN_NOTE } }));
    return 'interval_changed';
  }
  if (description.state.paused === paused) return 'unchanged';
  if (paused) await handle.pause(PAUSE_NOTE);
  else await handle.unpause(RUN_NOTE);
  return paused ? 'paused' : 'unpaused';
}

async function createSchedule(runtime: OrderPollRuntime, integrationId: string, everyMs: number, paused: boolean): Promise<OrderPollScheduleRepair> {
  const input: OrderPollInput = { integrationId };
  try {
    await runtime.client.schedule.create({
      scheduleId: orderPollScheduleId(integrationId),
      spec: { intervals: [{ every: everyMs }] },
      action: {
        type: 'startWorkflow',
        workflowType: orderPollWorkflow,
        args: [input],
        taskQueue: runtime.taskQueue,
        workflowId: orderPollScheduleId(integrationId),
        // Deleting the integration finds (and ends) a run in progress: IntegrationIds = "<id>".
        typedSearchAttributes: [{ key: IntegrationIdsKey, value: [integrationId] }],
      },
      // A poll still running when the next is due: the next is skipped, never queued behind it.
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: Math.max(everyMs, 60_000) },
      state: { paused, note: paused ? PAUSE_NOTE : RUN_NOTE },
    });
  } catch (error) {
    // Created meanwhile by another caller (a status change racing a health check): theirs is ours.
    if (error instanceof ScheduleAlreadyRunning) return 'unchanged';
    throw error;
  }
  return 'created';
}

/** Deletes the integration's poll schedule; false when there was none. */
export function deleteOrderPollSchedule(client: Client, integrationId: string): Promise<boolean> {
  return deleteScheduleIfPresent(client, orderPollScheduleId(integrationId));
}
