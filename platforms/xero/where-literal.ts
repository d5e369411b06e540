/** A text literal for Xero's `where`: double quotes, with quotes and backslashes escaped. */
export function whereString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
