/** A QBO query string literal: single quotes, with `'` and `\` escaped by a backslash. */
export function qboQueryString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
