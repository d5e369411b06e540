import { ApplicationFailure } from '@temporalio/common';

/** Type of the failure for a database error that no retry can fix. Pure: the workflow's retry policy names it. */
export const DatabaseRejectedType = 'DatabaseRejected';

/**
 * SQLSTATE classes that mean the statement itself is wrong for the data (22 data exception, 23 integrity
 * constraint, 42 syntax or missing object): retrying it gives the same answer. Connection and
 * resource errors (08, 53, 57) are left retryable.
 */
const PERMANENT_SQLSTATE_CLASSES = ['22', '23', '42'];

function sqlStateOf(error: unknown): string | null {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return null;
}

/** Runs a database write; a permanent error becomes a non-retryable DatabaseRejected failure. */
export async function bookkeepingWrite<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const state = sqlStateOf(error);
    if (state && PERMANENT_SQLSTATE_CLASSES.includes(state.slice(0, 2))) {
      throw ApplicationFailure.create({
        type: DatabaseRejectedType,
        message: `ledgerbridge's database refused to ${what} (the route may have been deleted).`,
        details: [{ detail: `SQLSTATE ${state}: ${(error as Error).message}` }],
        nonRetryable: true,
      });
    }
    throw error;
  }
}
