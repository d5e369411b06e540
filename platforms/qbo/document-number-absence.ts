import { RecentlyUsedMap } from '../../domain/recently-used-map.js';

/**
 * "No document has this number yet", as a lookup just answered it. A create may skip its own lookup when
 * such an answer is fresh, and spends it: one lookup answer serves at most one create attempt, so every
 * retry (a lost answer, a crashed worker, another process) looks again before it writes.
 */
const FRESH_FOR_MS = 120_000;
const MAX_REMEMBERED = 10_000;

/** Bounded under any backlog: the oldest answers go first. */
const absences = new RecentlyUsedMap<string, number>(MAX_REMEMBERED);

export function noteAbsent(key: string, nowMs = Date.now()): void {
  absences.set(key, nowMs);
}

export function forgetAbsence(key: string): void {
  absences.delete(key);
}

/** True when a fresh "absent" answer was there; it is used up either way. */
export function takeFreshAbsence(key: string, nowMs = Date.now()): boolean {
  const at = absences.get(key);
  absences.delete(key);
  return at !== undefined && nowMs - at <= FRESH_FOR_MS;
}
