import { childrenNamed, childText, type XmlElement } from '../../platforms/qbd/xml-tree.js';
import { statusNoMatch, statusNotFound, statusOk, type QbxmlStatus } from './qbxml-status.js';

/**
 * How a query of a list (customers, items, tax codes) or of transactions picks its records: by explicit ids/names
 * (ListID/FullName, TxnID/RefNumber) or by filters. Shared by every query handler.
 */

/** What QuickBooks answers when an explicit ListID/FullName/TxnID/RefNumber is not there (FIDELITY.md §3: [S], played both ways). */
export type NotFoundAnswer = 'status-500' | 'status-1';

export interface QueryOutcome<T> {
  status: QbxmlStatus;
  found: T[];
}

/** Picks records named explicitly in `request` by the given elements; undefined when the request names none. */
export function pickExplicit<T>(
  request: XmlElement,
  lookups: { element: string; find: (value: string) => T | undefined }[],
  notFound: NotFoundAnswer,
): QueryOutcome<T> | undefined {
  const wanted = lookups.flatMap((l) => childrenNamed(request, l.element).map((e) => ({ lookup: l, value: e.text })));
  if (wanted.length === 0) return undefined;
  const found: T[] = [];
  const missing: string[] = [];
  for (const { lookup, value } of wanted) {
    const record = lookup.find(value);
    if (record === undefined) missing.push(value);
    else if (!found.includes(record)) found.push(record);
  }
  if (missing.length === 0) return { status: statusOk(), found };
  if (notFound === 'status-500') return { status: statusNotFound(missing[0]!), found };
  return { status: found.length > 0 ? statusOk() : statusNoMatch(), found };
}

export function matchesNameFilter(name: string, request: XmlElement): boolean {
  const filter = request.children.find((c) => c.local === 'NameFilter');
  if (filter) {
    const criterion = childText(filter, 'MatchCriterion');
    const wanted = (childText(filter, 'Name') ?? '').toLowerCase();
    const have = name.toLowerCase();
    if (criterion === 'StartsWith' && !have.startsWith(wanted)) return false;
    if (criterion === 'Contains' && !have.includes(wanted)) return false;
    if (criterion === 'EndsWith' && !have.endsWith(wanted)) return false;
  }
  const range = request.children.find((c) => c.local === 'NameRangeFilter');
  if (range) {
    const from = childText(range, 'FromName')?.toLowerCase();
    const to = childText(range, 'ToName')?.toLowerCase();
    if (from !== undefined && name.toLowerCase() < from) return false;
    if (to !== undefined && name.toLowerCase() > to) return false;
  }
  return true;
}

export function matchesActiveStatus(isActive: boolean, request: XmlElement): boolean {
  const status = childText(request, 'ActiveStatus') ?? 'ActiveOnly';
  return status === 'All' || (status === 'ActiveOnly') === isActive;
}

/** Applies MaxReturned and answers status 1 when nothing is left. */
export function filtered<T>(records: T[], request: XmlElement): QueryOutcome<T> {
  const max = childText(request, 'MaxReturned');
  const found = max === undefined ? records : records.slice(0, Number(max));
  return { status: found.length > 0 ? statusOk() : statusNoMatch(), found };
}

/** How a reference reads in a status message: its FullName, else its ListID. */
export function refLabel(ref: XmlElement): string {
  return childText(ref, 'FullName') ?? childText(ref, 'ListID') ?? '';
}

/** A transaction query's `TxnDateRangeFilter`: true when the request has none or the date is inside it. */
export function matchesTxnDateRange(txnDate: string, request: XmlElement): boolean {
  const dates = request.children.find((c) => c.local === 'TxnDateRangeFilter');
  if (!dates) return true;
  const from = childText(dates, 'FromTxnDate');
  const to = childText(dates, 'ToTxnDate');
  return !(from !== undefined && txnDate < from) && !(to !== undefined && txnDate > to);
}

/** A filter naming records by `ListID` or `FullName` (EntityFilter, AccountFilter): whether `ref` is one of them. */
export function matchesRefFilter(filter: XmlElement, ref: { listId: string; fullName: string }): boolean {
  const ids = filter.children.filter((c) => c.local === 'ListID').map((e) => e.text);
  const names = filter.children.filter((c) => c.local === 'FullName').map((e) => e.text.toLowerCase());
  return !(ids.length > 0 && !ids.includes(ref.listId)) && !(names.length > 0 && !names.includes(ref.fullName.toLowerCase()));
}
