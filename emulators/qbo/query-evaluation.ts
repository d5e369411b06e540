import type { ParsedQuery, QueryCondition, QueryLiteral } from './query-language.js';

export type QboRecord = Record<string, unknown>;

/** Name-list entities answer only active rows unless the query filters on Active itself. */
const ACTIVE_FILTERED = new Set(['Customer', 'Item', 'TaxCode', 'TaxRate', 'Account', 'Vendor', 'Employee']);

const DEFAULT_MAX_RESULTS = 100;
const MAX_MAX_RESULTS = 1000;

/** Reads a dotted path; refs (`{value}`) and email/phone objects (`{Address}`) compare by their scalar. */
function fieldValue(record: QboRecord, path: string): unknown {
  let value: unknown = record;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as QboRecord)[part];
  }
  if (value !== null && typeof value === 'object') {
    const object = value as QboRecord;
    if ('value' in object) return object.value;
    if ('Address' in object) return object.Address;
    if ('FreeFormNumber' in object) return object.FreeFormNumber;
  }
  return value;
}

/** String matching in WHERE: QBO's case rule is unconfirmed [U], so the emulator plays both. */
export interface QueryMatchOptions {
  caseSensitive?: boolean;
}

function compare(actual: unknown, expected: QueryLiteral, options: QueryMatchOptions = {}): number | null {
  if (actual === undefined || actual === null) return null;
  if (typeof expected === 'boolean') return actual === expected ? 0 : typeof actual === 'boolean' ? (actual ? 1 : -1) : null;
  if (typeof expected === 'number' || (typeof actual === 'number' && !Number.isNaN(Number(expected)))) {
    const a = Number(actual);
    const b = Number(expected);
    if (Number.isNaN(a) || Number.isNaN(b)) return null;
    return a === b ? 0 : a < b ? -1 : 1;
  }
  // Ids are numeric strings in QBO; compare them numerically so `Id > '9'` behaves.
  const text = String(actual);
  if (/^\d+$/.test(text) && /^\d+$/.test(expected)) return Math.sign(Number(text) - Number(expected));
  // Case-insensitive by default (observed QBO behaviour, not documented); the other variant compares exactly.
  if (options.caseSensitive) return text === expected ? 0 : text < expected ? -1 : 1;
  return text.localeCompare(expected, 'en', { sensitivity: 'accent' });
}

function likeToRegExp(pattern: string, options: QueryMatchOptions): RegExp {
  const source = pattern
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, options.caseSensitive ? 's' : 'is');
}

function matches(record: QboRecord, condition: QueryCondition, options: QueryMatchOptions): boolean {
  const actual = fieldValue(record, condition.field);
  switch (condition.kind) {
    case 'in':
      return condition.values.some((value) => compare(actual, value, options) === 0);
    case 'like':
      return actual !== undefined && actual !== null && likeToRegExp(condition.pattern, options).test(String(actual));
    case 'compare': {
      const result = compare(actual, condition.value, options);
      if (result === null) return condition.op === '!=';
      switch (condition.op) {
        case '=':
          return result === 0;
        case '!=':
          return result !== 0;
        case '<':
          return result < 0;
        case '>':
          return result > 0;
        case '<=':
          return result <= 0;
        case '>=':
          return result >= 0;
      }
    }
  }
}

export type QueryResult = { totalCount: number } | { rows: QboRecord[]; startPosition: number; maxResults: number };

export function evaluateQuery(query: ParsedQuery, rows: QboRecord[], options: QueryMatchOptions = {}): QueryResult {
  const conditions = [...query.where];
  const filtersActive = conditions.some((c) => c.field.toLowerCase() === 'active');
  if (ACTIVE_FILTERED.has(query.entity) && !filtersActive) conditions.push({ kind: 'compare', field: 'Active', op: '=', value: true });
  let selected = rows.filter((row) => conditions.every((c) => matches(row, c, options)));
  if (query.count) return { totalCount: selected.length };

  const orderBy = query.orderBy.length > 0 ? query.orderBy : [{ field: 'Id', descending: false }];
  selected = [...selected].sort((a, b) => {
    for (const key of orderBy) {
      const right = fieldValue(b, key.field);
      const result = compare(fieldValue(a, key.field), right === undefined || right === null ? '' : (right as QueryLiteral)) ?? 0;
      if (result !== 0) return key.descending ? -result : result;
    }
    return 0;
  });
  const maxResults = Math.min(query.maxResults ?? DEFAULT_MAX_RESULTS, MAX_MAX_RESULTS);
  const page = selected.slice(query.startPosition - 1, query.startPosition - 1 + maxResults);
  return { rows: page, startPosition: query.startPosition, maxResults: page.length };
}
