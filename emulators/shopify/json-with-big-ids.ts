/**
 * JSON.stringify that writes bigint values as bare JSON numbers, the way Shopify writes 64-bit ids in REST and
 * webhook bodies (JSON.stringify alone throws on bigint, and a double would round ids above 2^53).
 */
export function stringifyWithBigInts(value: unknown): string {
  const marker = '\u0000bigint:';
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v.toString()}` : v));
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}
