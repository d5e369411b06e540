import { log, proxyActivities } from '@temporalio/workflow';
import type { OrderPollActivities } from '../activities/order-poll-activities.js';

export interface OrderPollInput {
  integrationId: string;
  /** Pages read per run at most; what is left is read by the next scheduled run (from the cursor). Default 20. */
  maxPages?: number;
}

export interface OrderPollResult {
  pages: number;
  listed: number;
  handedOver: number;
  /** More pages were left for the next run. */
  more: boolean;
  /** Why nothing was read (not connected, paused, deleted, a store that cannot be polled). */
  notPolled?: string;
  /** Why a page failed: the cursor stayed before it, and the next run reads it again. */
  failed?: string;
}

export const DEFAULT_POLL_MAX_PAGES = 20;

// A failed page is read again by the next run: a few tries here, no long retry storm against a store that is down.
const polling = proxyActivities<OrderPollActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '30 seconds', maximumAttempts: 3 },
});

/**
 * One reconciliation poll of a store integration, started by its Temporal Schedule (runtime/order-poll-schedule.ts):
 * reads the orders changed since the cursor, page by page, and hands each to the order intake, which starts or joins
 * the same order sync a webhook would. Bounded pages per run keep every history small; no state crosses runs but
 * the cursor in the database.
 */
export async function orderPollWorkflow(input: OrderPollInput): Promise<OrderPollResult> {
  const maxPages = input.maxPages ?? DEFAULT_POLL_MAX_PAGES;
  const result: OrderPollResult = { pages: 0, listed: 0, handedOver: 0, more: false };
  let since: string | undefined;
  let pageCursor: string | undefined;
  for (;;) {
    let page;
    try {
      page = await polling.pollOrdersPage({ integrationId: input.integrationId, ...(since ? { since } : {}), ...(pageCursor ? { pageCursor } : {}) });
    } catch (error) {
      const failed = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
      log.warn('order poll: a page failed; the next run reads it again', { integrationId: input.integrationId, error: failed });
      return { ...result, failed };
    }
    if (page.status === 'not_polled') return { ...result, notPolled: page.reason };
    result.pages++;
    result.listed += page.listed;
    result.handedOver += page.handedOver;
    if (!page.nextPageCursor) return result;
    if (result.pages >= maxPages) return { ...result, more: true };
    since = page.since;
    pageCursor = page.nextPageCursor;
  }
}
