/** How long orderSyncWorkflow waits between tries; pure data, safe in workflow code. */
export interface OrderSyncTiming {
  /** Re-check of an order waiting for a reconnect or a fix, in case no signal comes. README: 6 hours. */
  recheckWaitingMs: number;
  /** Re-check of an order that failed (an outage, something unforeseen). README: 15 minutes. */
  recheckFailedMs: number;
  /** Pause after a throttle outlasted the activity's own waiting; never counted as a failure. README: 1 minute. */
  throttleWaitMs: number;
  /** First backoff of a failing platform call (doubles up to 1 minute, 8 attempts). */
  platformRetryInitialMs: number;
}

export const DEFAULT_ORDER_SYNC_TIMING: OrderSyncTiming = {
  recheckWaitingMs: 6 * 60 * 60_000,
  recheckFailedMs: 15 * 60_000,
  throttleWaitMs: 60_000,
  platformRetryInitialMs: 1_000,
};
