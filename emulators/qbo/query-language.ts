/**
 * Parser for QBO's restricted query grammar:
 * SELECT * | count(*) FROM Entity [WHERE cond AND cond ...] [ORDERBY field [ASC|DESC], ...] [STARTPOSITION n] [MAXRESULTS n].
 * Conditions: field (=, <, >, <=, >=, !=) literal | field IN (literals) | field LIKE 'pattern'. No OR, no JOIN.
 */

export type QueryLiteral = string | number | boolean;

export type QueryCondition =
  | { kind: 'compare'; field: string; op: '=' | '<' | '>' | '<=' | '>=' | '!='; value: QueryLiteral }
  | { kind: 'in'; field: string; values: QueryLiteral[] }
  | { kind: 'like'; field: string; pattern: string };

export interface ParsedQuery {
  count: boolean;
  entity: string;
  where: QueryCondition[];
  orderBy: { field: string; descending: boolean }[];
  /** 1-based. */
  startPosition: number;
  maxResults: number | null;
}

export class QuerySyntaxError extends Error {}

type Token =
  | { type: 'word'; text: string; column: number }
  | { type: 'string'; text: string; column: number }
  | { type: 'number'; text: string; column: number }
  | { type: 'symbol'; text: string; column: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let text = '';
      i++;
      for (;;) {
        if (i >= source.length) throw new QuerySyntaxError(`Lexical error at line 1, column ${column}: unterminated string`);
        const c = source[i]!;
        if (c === '\\' && i + 1 < source.length) {
          text += source[i + 1];
          i += 2;
        } else if (c === "'") {
          i++;
          break;
        } else {
          text += c;
          i++;
        }
      }
      tokens.push({ type: 'string', text, column });
    } else if (/[0-9-]/.test(ch) && /[0-9]/.test(source[ch === '-' ? i + 1 : i] ?? '')) {
      const match = /^-?\d+(\.\d+)?/.exec(source.slice(i))!;
      tokens.push({ type: 'number', text: match[0], column });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(source.slice(i))!;
      tokens.push({ type: 'word', text: match[0], column });
      i += match[0].length;
    } else {
      const two = source.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '!=' || two === '<>') {
        tokens.push({ type: 'symbol', text: two === '<>' ? '!=' : two, column });
        i += 2;
      } else if ('=<>(),*'.includes(ch)) {
        tokens.push({ type: 'symbol', text: ch, column });
        i++;
      } else {
        throw new QuerySyntaxError(`Lexical error at line 1, column ${column}. Encountered: "${ch}"`);
      }
    }
  }
  return tokens;
}

class Cursor {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(): Token | undefined {
    return this.tokens[this.index];
  }

  next(expected: string): Token {
    const token = this.tokens[this.index++];
    if (!token) throw new QuerySyntaxError(`Encountered "<EOF>" at line 1. Was expecting: ${expected}`);
    return token;
  }

  isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.type === 'word' && token.text.toUpperCase() === keyword;
  }

  keyword(keyword: string): void {
    const token = this.next(keyword);
    if (token.type !== 'word' || token.text.toUpperCase() !== keyword) unexpected(token, keyword);
  }

  symbol(symbol: string): void {
    const token = this.next(`"${symbol}"`);
    if (token.type !== 'symbol' || token.text !== symbol) unexpected(token, `"${symbol}"`);
  }

  done(): boolean {
    return this.index >= this.tokens.length;
  }
}

function unexpected(token: Token, expected: string): never {
  throw new QuerySyntaxError(`Encountered " ${token.text} " at line 1, column ${token.column}. Was expecting: ${expected}`);
}

const RESERVED = new Set(['SELECT', 'FROM', 'WHERE', 'AND', 'OR', 'IN', 'LIKE', 'ORDERBY', 'ORDER', 'STARTPOSITION', 'MAXRESULTS', 'NOT']);

function field(cursor: Cursor): string {
  const token = cursor.next('a field name');
  if (token.type !== 'word' || RESERVED.has(token.text.toUpperCase())) unexpected(token, 'a field name');
  return token.text;
}

function literal(cursor: Cursor): QueryLiteral {
  const token = cursor.next('a value');
  if (token.type === 'string') return token.text;
  if (token.type === 'number') return Number(token.text);
  if (token.type === 'word' && /^(true|false)$/i.test(token.text)) return token.text.toLowerCase() === 'true';
  return unexpected(token, 'a quoted string, a number, true or false');
}

function integer(cursor: Cursor, clause: string): number {
  const token = cursor.next(`a number after ${clause}`);
  if (token.type !== 'number' || !/^\d+$/.test(token.text)) unexpected(token, `a number after ${clause}`);
  return Number(token.text);
}

function condition(cursor: Cursor): QueryCondition {
  const name = field(cursor);
  if (cursor.isKeyword('IN')) {
    cursor.keyword('IN');
    cursor.symbol('(');
    const values = [literal(cursor)];
    while (cursor.peek()?.text === ',') {
      cursor.symbol(',');
      values.push(literal(cursor));
    }
    cursor.symbol(')');
    return { kind: 'in', field: name, values };
  }
  if (cursor.isKeyword('LIKE')) {
    cursor.keyword('LIKE');
    const token = cursor.next('a quoted pattern');
    if (token.type !== 'string') unexpected(token, 'a quoted pattern');
    return { kind: 'like', field: name, pattern: token.text };
  }
  const op = cursor.next('an operator');
  if (op.type !== 'symbol' || !['=', '<', '>', '<=', '>=', '!='].includes(op.text)) unexpected(op, '=, <, >, <=, >=, IN or LIKE');
  return { kind: 'compare', field: name, op: op.text as '=', value: literal(cursor) };
}

export function parseQuery(source: string): ParsedQuery {
  const cursor = new Cursor(tokenize(source));
  cursor.keyword('SELECT');
  let count = false;
  const first = cursor.next('"*" or count(*)');
  if (first.type === 'word' && first.text.toLowerCase() === 'count') {
    cursor.symbol('(');
    cursor.symbol('*');
    cursor.symbol(')');
    count = true;
  } else if (!(first.type === 'symbol' && first.text === '*')) {
    // QBO has no projections: SELECT Name FROM Item is a parse error.
    unexpected(first, '"*" or count(*)');
  }
  cursor.keyword('FROM');
  const entityToken = cursor.next('an entity name');
  if (entityToken.type !== 'word') unexpected(entityToken, 'an entity name');
  const query: ParsedQuery = { count, entity: entityToken.text, where: [], orderBy: [], startPosition: 1, maxResults: null };

  if (cursor.isKeyword('WHERE')) {
    cursor.keyword('WHERE');
    query.where.push(condition(cursor));
    while (cursor.isKeyword('AND')) {
      cursor.keyword('AND');
      query.where.push(condition(cursor));
    }
  }
  if (cursor.isKeyword('ORDERBY') || cursor.isKeyword('ORDER')) {
    if (cursor.isKeyword('ORDER')) {
      cursor.keyword('ORDER');
      cursor.keyword('BY');
    } else {
      cursor.keyword('ORDERBY');
    }
    do {
      if (cursor.peek()?.text === ',') cursor.symbol(',');
      const name = field(cursor);
      let descending = false;
      if (cursor.isKeyword('DESC')) {
        cursor.keyword('DESC');
        descending = true;
      } else if (cursor.isKeyword('ASC')) {
        cursor.keyword('ASC');
      }
      query.orderBy.push({ field: name, descending });
    } while (cursor.peek()?.text === ',');
  }
  if (cursor.isKeyword('STARTPOSITION')) {
    cursor.keyword('STARTPOSITION');
    query.startPosition = Math.max(1, integer(cursor, 'STARTPOSITION'));
  }
  if (cursor.isKeyword('MAXRESULTS')) {
    cursor.keyword('MAXRESULTS');
    query.maxResults = integer(cursor, 'MAXRESULTS');
  }
  if (!cursor.done()) {
    const extra = cursor.next('end of query');
    unexpected(extra, '<EOF>');
  }
  return query;
}
