import type { WorkflowHandle } from '@temporalio/client';

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

/** The durations (ms) of every timer the run started. */
export async function timerDurationsMs(handle: Handle): Promise<number[]> {
  const events = (await handle.fetchHistory()).events ?? [];
  return events.flatMap((e) => {
    const timeout = e.timerStartedEventAttributes?.startToFireTimeout;
    return timeout ? [Number(timeout.seconds ?? 0) * 1000 + Math.round((timeout.nanos ?? 0) / 1e6)] : [];
  });
}
