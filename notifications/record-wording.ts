import type { RecordKind } from './notices.js';

/** "1 order" / "37 orders": counts read as sentences, never "1 orders". */
export function countRecords(count: number, kind: RecordKind): string {
  return `${count} ${count === 1 ? kind : `${kind}s`}`;
}

/** "is" or "are", to agree with `count`. */
export function isOrAre(count: number): string {
  return count === 1 ? 'is' : 'are';
}

/** "2024-05-01 14:03 UTC": unambiguous for readers in any time zone. */
export function formatUtcMinute(when: string | Date): string {
  const date = when instanceof Date ? when : new Date(when);
  if (Number.isNaN(date.getTime())) throw new TypeError(`Not a date: ${JSON.stringify(when)}`);
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Subject lines are one line: a newline in a name must not become a broken header. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
