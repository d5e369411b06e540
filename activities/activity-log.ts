import { Context } from '@temporalio/activity';

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * Logs through the Temporal activity logger, which adds the workflow id, activity type and attempt to every
 * line (structured, in the worker's log). Outside an activity (a direct call in a test) it goes to stderr.
 */
export function activityLog(level: Level, message: string, meta: Record<string, unknown> = {}): void {
  let context: Context | undefined;
  try {
    context = Context.current();
  } catch {
    context = undefined;
  }
  if (context) context.log[level](message, meta);
  else console.error(`[${level}] ${message}`, meta);
}
