/**
 * "No document has this number yet", as a lookup just answered it. A create may skip its own lookup when
 * such an answer is fresh, and spends it: one lookup answer serves at most one create attempt, so every
 * retry (a lost answer, a crashed worker, another process) looks again before it writes.
 */
const FRESH_FOR_MS = 120_000;
const MAX_REMEMBERED = 10_000;

const absences = new Map<string, number>();

export function noteAbsent(key: string, nowMs = Date.now()): void {
  absences.delete(key);
  absences.set(key, nowMs);
  // Oldest first in a Map: dropping from the front keeps memory bounded under any backlog.
  while (absences.size > MAX_REMEMBERED) absences.delete(absences.keys().next().value!);
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
