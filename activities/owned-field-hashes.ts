import { createHash } from 'node:crypto';

/**
 * The fields of a store record the engine writes to its linked ledger record, by name; null where the store has no
 * value (nothing is written for it: the ledger keeps what it has).
 */
export type OwnedFields = Record<string, string | null>;

/**
 * What a link keeps instead of a hash for a field that is the bookkeeper's: the name of a record we matched rather
 * than created (they chose it; a later edit in the store does not rename it).
 */
const NOT_OURS = '-';

/**
 * One hash per field with a value: what the link keeps of what was last written, so an edit is told from a
 * redelivered webhook without keeping a copy of the customer's personal data. `notOurs`: fields never written.
 */
export function ownedFieldHashes(fields: OwnedFields, notOurs: readonly string[] = []): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const [field, value] of Object.entries(fields)) {
    if (notOurs.includes(field)) hashes[field] = NOT_OURS;
    else if (value !== null) hashes[field] = createHash('sha256').update(`${field}\u0000${value}`).digest('base64url').slice(0, 22);
  }
  return hashes;
}

/** The fields a link marks as the bookkeeper's. */
export function fieldsNotOurs(written: Record<string, string>): string[] {
  return Object.keys(written).filter((field) => written[field] === NOT_OURS);
}

/** The fields whose value is not the one last written; none: the edit changed nothing the engine sends. */
export function changedOwnedFields(fields: OwnedFields, written: Record<string, string>): string[] {
  const now = ownedFieldHashes(fields, fieldsNotOurs(written));
  return Object.keys(now).filter((field) => written[field] !== now[field]);
}
