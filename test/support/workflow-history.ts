import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';

type Handle = WorkflowHandle;

/** True when the run's last command is a timer still running (the workflow waits on it, not looping). */
export async function waitsOnTimer(handle: Handle): Promise<boolean> {
  const events = (await handle.fetchHistory()).events ?? [];
  const timer = events.findLastIndex((e) => e.timerStartedEventAttributes);
  const activity = events.findLastIndex((e) => e.activityTaskScheduledEventAttributes);
  if (timer < 0 || timer < activity) return false;
  const timerId = events[timer]!.timerStartedEventAttributes!.timerId;
  return !events.slice(timer).some((e) => e.timerFiredEventAttributes?.timerId === timerId || e.timerCanceledEventAttributes?.timerId === timerId);
}

/**
 * The durations (ms) of every timer the workflow started, over every run of its continue-as-new chain: a sync that
 * waits often enough continues as new (the test server suggests it early), and its earlier runs' timers count too.
 */
export async function timerDurationsMs(handle: Handle): Promise<number[]> {
  const durations: number[] = [];
  let run: Handle | null = handle;
  while (run) {
    const events: temporal.api.history.v1.IHistoryEvent[] = (await run.fetchHistory()).events ?? [];
    durations.unshift(
      ...events.flatMap((e) => {
        const timeout = e.timerStartedEventAttributes?.startToFireTimeout;
        return timeout ? [Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6)] : [];
      }),
    );
    const previous: string | null | undefined = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    run = previous ? handle.client.getHandle(handle.workflowId, previous) : null;
  }
  return durations;
}
