import type { LedgerDateRange } from '../../domain/accounting-target.js';

/** What Xero answers per page of invoices or bank transactions when no pageSize is sent [C: xero-node, "Up to 100"]. */
export const XERO_PAGE_SIZE = 100;
/** A month of a busy shop is a few thousand documents; past this the range is too long for one audit. */
const PAGES_AT_MOST = 500;

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `Date>=DateTime(2026, 11, 01) AND Date<=DateTime(2026, 11, 30)`: both days included, as Xero writes dates in `where`. */
export function whereDateBetween(range: LedgerDateRange): string {
  return `Date>=${dateTime(range.from)} AND Date<=${dateTime(range.to)}`;
}

function dateTime(day: string): string {
  const parts = DAY.exec(day);
  if (!parts) throw new Error(`not a YYYY-MM-DD day: ${day}`);
  return `DateTime(${parts[1]}, ${parts[2]}, ${parts[3]})`;
}

/** Every page, 1, 2, … until one comes back short. */
export async function allPages<T>(read: (page: number) => Promise<T[]>, what: string): Promise<T[]> {
  const rows: T[] = [];
  for (let page = 1; page <= PAGES_AT_MOST; page++) {
    const found = await read(page);
    rows.push(...found);
    if (found.length < XERO_PAGE_SIZE) return rows;
  }
  throw new Error(`Xero listed more than ${PAGES_AT_MOST} pages of ${what}: audit a shorter range`);
}
