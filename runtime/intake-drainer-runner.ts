import type { OpenDatabase } from '../db/database.js';
import { INTAKE_QUEUED_CHANNEL } from '../db/webhook-intake.js';
import { OrderIntakeDrainer, type OrderIntakeDeps, type OrderIntakeOptions } from './order-intake-drainer.js';

/**
 * Runs the intake drainer outside the API (INTAKE_DRAINER=worker): the API then only writes the event and answers,
 * and the CPU that starting syncs costs is spent in a process that does not answer Shopify. The database wakes it
 * when an event is queued; its poll remains for a missed notification (a reconnect of the listening connection).
 */
export async function runIntakeDrainer(
  database: Pick<OpenDatabase, 'listen'>,
  deps: OrderIntakeDeps,
  options: OrderIntakeOptions = {},
): Promise<{ drainer: OrderIntakeDrainer; stop(): Promise<void> }> {
  const drainer = new OrderIntakeDrainer(deps, options);
  const unlisten = await database.listen(INTAKE_QUEUED_CHANNEL, () => drainer.nudge());
  drainer.start();
  return {
    drainer,
    stop: async () => {
      await unlisten();
      await drainer.stop();
    },
  };
}

/** The drainer's log (pino's argument order) written through the worker's own logger, errors as their message. */
export function drainerLogThrough(logger: { info(message: string, meta?: Record<string, unknown>): void; warn(message: string, meta?: Record<string, unknown>): void; error(message: string, meta?: Record<string, unknown>): void }): OrderIntakeDeps['log'] {
  const meta = (obj: object) => Object.fromEntries(Object.entries(obj).map(([key, value]) => [key, value instanceof Error ? value.message : value]));
  return {
    info: (obj, message) => logger.info(message, meta(obj)),
    warn: (obj, message) => logger.warn(message, meta(obj)),
    error: (obj, message) => logger.error(message, meta(obj)),
  };
}
