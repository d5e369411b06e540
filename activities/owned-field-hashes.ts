import { createHash } from 'node:crypto';

/**
 * The fields of a store record the engine writes to its linked ledger record, by name; null where the store has no
 * value (nothing is written for it: the ledger keeps what it has).
 */
export type OwnedFields = Record<string, string | null>;

/**
 * One hash per field with a value: what the link keeps of what was last written, so an edit is told from a
 * redelivered webhook without keeping a copy of the customer's personal data.
 */
export function ownedFieldHashes(fields: OwnedFields): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (value !== null) hashes[field] = createHash('sha256').update(`${field}\u0000${value}`).digest('base64url').slice(0, 22);
  }
  return hashes;
}

/** The fields whose value is not the one last written; none: the edit changed nothing the engine sends. */
export function changedOwnedFields(fields: OwnedFields, written: Record<string, string>): string[] {
  const now = ownedFieldHashes(fields);
  return Object.keys(now).filter((field) => written[field] !== now[field]);
}
