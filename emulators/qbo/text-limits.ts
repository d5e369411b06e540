import { stringLengthFault } from './fault-bodies.js';

/** Rejects a string field longer than QBO's documented maximum with Fault 2050. */
export function checkLength(nowMs: number, field: string, value: unknown, max: number): void {
  if (typeof value === 'string' && value.length > max) throw stringLengthFault(nowMs, field, max, value.length);
}
