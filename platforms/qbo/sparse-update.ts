import { LedgerRejectedError } from '../../domain/platform-errors.js';
import type { QboClient, QboEntity } from './qbo-client.js';

/** How often a record edited by someone else between our read and our write is read again before giving up. */
const STALE_ATTEMPTS = 3;

/**
 * Writes what `changes` asks of the record as it is now, by a sparse update (only those fields: everything else
 * stays as the bookkeeper left it), with the `SyncToken` just read. `changes` returns only the fields whose value
 * differs from the record's, so a retry after a lost answer finds nothing to write and sends nothing. A 5010
 * (Stale Object Error: the record changed since the read) reads it again and retries.
 */
export async function sparseUpdate(
  client: QboClient,
  entity: { path: string; name: string },
  id: string,
  changes: (current: QboEntity) => QboEntity,
  subject: string,
): Promise<QboEntity> {
  let stale: LedgerRejectedError | null = null;
  for (let attempt = 0; attempt < STALE_ATTEMPTS; attempt += 1) {
    const current = await client.read(entity.path, entity.name, id, subject);
    const fields = changes(current);
    if (Object.keys(fields).length === 0) return current;
    const body = { ...fields, Id: String(current.Id), SyncToken: String(current.SyncToken), sparse: true as const };
    try {
      return await client.update(entity.path, entity.name, body, { idempotencyKey: `update:${entity.path}:${id}:${body.SyncToken}`, subject });
    } catch (error) {
      if (!(error instanceof LedgerRejectedError && error.code === '5010')) throw error;
      stale = error;
    }
  }
  throw stale!;
}
