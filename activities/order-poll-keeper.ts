import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { integrations } from '../db/schema.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { DEFAULT_ORDER_POLL_INTERVAL_MS, keepOrderPollSchedule, type OrderPollRuntime, type OrderPollScheduleRepair } from '../runtime/order-poll-schedule.js';

export interface OrderPollKeeperDeps {
  db: Database;
  platforms: PlatformRegistry;
  orderPolling: OrderPollRuntime;
}

/**
 * Keeps a store's poll schedule in step with the integration: present, paused exactly while the integration is
 * paused (Disconnected). Null for an integration that is not a store (or no longer exists).
 */
export async function keepStorePollSchedule(deps: OrderPollKeeperDeps, integrationId: string): Promise<OrderPollScheduleRepair | null> {
  const [row] = await deps.db.select({ platform: integrations.platform, status: integrations.status }).from(integrations).where(eq(integrations.id, integrationId));
  if (!row || deps.platforms.roleOf(row.platform) !== 'commerce') return null;
  return keepOrderPollSchedule(deps.orderPolling, integrationId, row.status === 'disconnected');
}

/** One plain sentence about the schedule, for the health check. */
export function describePollSchedule(repair: OrderPollScheduleRepair, intervalMs = DEFAULT_ORDER_POLL_INTERVAL_MS): string {
  const every = intervalMs % 60_000 === 0 ? `${intervalMs / 60_000} minute${intervalMs === 60_000 ? '' : 's'}` : `${Math.round(intervalMs / 1000)} seconds`;
  const what = `The store is polled every ${every} for orders whose webhook never arrived.`;
  if (repair === 'created') return `Repaired: the polling schedule was missing and was created. ${what}`;
  if (repair === 'interval_changed') return `Repaired: the polling schedule now runs at the configured interval. ${what}`;
  return what;
}
