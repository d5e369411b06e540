/**
 * Shopify's search syntax, the part a sync engine uses: `field:value`, `field:>=value` (also >, <, <=),
 * quoted values, terms joined by spaces or AND. Unknown fields are ignored, as Shopify does.
 */
export interface SearchTerm {
  field: string;
  operator: '=' | '>' | '>=' | '<' | '<=';
  value: string;
}

export function parseSearchQuery(query: string | null | undefined): SearchTerm[] {
  if (!query) return [];
  const tokens = query.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
  const terms: SearchTerm[] = [];
  for (const token of tokens) {
    if (token === 'AND') continue;
    const match = /^([a-z_]+):(>=|<=|>|<)?(.*)$/i.exec(token);
    if (!match) continue;
    const [, field = '', operator, raw = ''] = match;
    terms.push({
      field: field.toLowerCase(),
      operator: (operator as SearchTerm['operator'] | undefined) ?? '=',
      value: raw.replace(/^(['"])(.*)\1$/, '$2'),
    });
  }
  return terms;
}

/** Field values of one record, by search field name; missing fields make their terms ignored. */
export type SearchFields = Record<string, string | null | undefined>;

export function matchesSearch(terms: SearchTerm[], fields: SearchFields, dateFields: ReadonlySet<string>): boolean {
  return terms.every((term) => {
    if (!(term.field in fields)) return true;
    const actual = fields[term.field];
    if (term.value === '*') return actual != null;
    if (actual == null) return false;
    if (dateFields.has(term.field)) return compare(Date.parse(actual), Date.parse(term.value), term.operator);
    if (term.operator !== '=') return compare(actual, term.value, term.operator);
    return term.value.endsWith('*')
      ? actual.toLowerCase().startsWith(term.value.slice(0, -1).toLowerCase())
      : actual.toLowerCase() === term.value.toLowerCase();
  });
}

function compare<T extends number | string>(actual: T, expected: T, operator: SearchTerm['operator']): boolean {
  switch (operator) {
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '=':
      return actual === expected;
  }
}
