import { Context } from '@temporalio/activity';

/** How often a running activity tells Temporal it is alive (the workflow's heartbeat timeout is 10 s). */
const HEARTBEAT_EVERY_MS = 2_000;

/** The running activity's context, or null when called outside an activity (direct calls in tests and scripts). */
export function activityContext(): Context | null {
  try {
    return Context.current();
  } catch {
    return null;
  }
}

/**
 * Runs `work`, heartbeating while it runs, and gives up on it as soon as the activity is cancelled (the
 * workflow no longer wants it, or the worker shuts down). A killed worker stops heartbeating, so Temporal
 * retries its activity after the heartbeat timeout instead of the whole start-to-close timeout.
 */
export async function withHeartbeat<T>(work: () => Promise<T>): Promise<T> {
  const context = activityContext();
  if (!context) return work();
  const beat = () => {
    try {
      context.heartbeat();
    } catch {
      // The worker is going away: Temporal notices the silence, nothing to do here.
    }
  };
  beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  try {
    return await Promise.race([work(), context.cancelled]);
  } finally {
    clearInterval(timer);
  }
}

/** Waits `ms`, ending early with a CancelledFailure when the activity is cancelled. */
export async function pause(ms: number): Promise<void> {
  const context = activityContext();
  if (context) await context.sleep(ms);
  else await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Wraps every function of an activities object with withHeartbeat. */
export function heartbeating<A extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: A): A {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [name, (...args: never[]) => withHeartbeat(() => fn(...args))]),
  ) as A;
}
