import type { XeroRecord } from './organisation.js';

/**
 * The part of Xero's `where` language the product and its tests use: `Field=="text"`, `A.B==true`, `!=`,
 * `AND`, `OR`, parentheses, `.Contains("x")`, `.StartsWith("x")`, `Guid("…")`, and a date field ordered against
 * `DateTime(2026, 11, 30)` with `>=`, `<=`, `>`, `<` (dates compare by their UTC day).
 */
export class WhereSyntaxError extends Error {}

/** A `DateTime(y, m, d)` literal: the day's UTC midnight. */
type DateValue = { date: number };
type Value = string | number | boolean | null | DateValue;
type Op = '==' | '!=' | '>=' | '<=' | '>' | '<';
type Node =
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'compare'; path: string[]; op: Op; value: Value }
  | { kind: 'call'; path: string[]; method: 'Contains' | 'StartsWith'; value: string };

const TOKEN = /\s*(?:(\(|\)|,)|(==|!=|>=|<=|>|<)|("(?:[^"\\]|\\.)*")|(AND|OR|&&|\|\|)(?![A-Za-z0-9_])|(-?\d+(?:\.\d+)?)(?![A-Za-z])|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(\.))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match) throw new WhereSyntaxError(`unexpected text at ${at}: ${text.slice(at, at + 20)}`);
    tokens.push(match[0].trim());
  }
  return tokens;
}

export function parseWhere(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const token = tokens[pos++];
    if (token === undefined) throw new WhereSyntaxError('unexpected end of the where clause');
    return token;
  };
  const literal = (token: string): Value => {
    if (token.startsWith('"')) return JSON.parse(token) as string;
    if (/^-?\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (token === 'DateTime') {
      // DateTime(2026, 11, 30): year, month, day as numbers, as Xero's examples write them.
      if (next() !== '(') throw new WhereSyntaxError('DateTime( expected');
      const parts: number[] = [];
      for (;;) {
        const part = next();
        if (!/^\d+$/.test(part)) throw new WhereSyntaxError(`DateTime takes numbers (year, month, day), got ${part}`);
        parts.push(Number(part));
        const after = next();
        if (after === ')') break;
        if (after !== ',') throw new WhereSyntaxError(', or ) expected in DateTime');
      }
      const [year, month, day] = parts;
      const ms = parts.length === 3 ? Date.UTC(year!, month! - 1, day!) : NaN;
      if (Number.isNaN(ms) || new Date(ms).getUTCMonth() !== month! - 1 || new Date(ms).getUTCDate() !== day) throw new WhereSyntaxError(`DateTime(${parts.join(', ')}) is not a date`);
      return { date: ms };
    }
    if (token === 'Guid') {
      if (next() !== '(') throw new WhereSyntaxError('Guid( expected');
      const value = next();
      if (!value.startsWith('"') || next() !== ')') throw new WhereSyntaxError('Guid("…") expected');
      return JSON.parse(value) as string;
    }
    throw new WhereSyntaxError(`not a value: ${token}`);
  };
  const factor = (): Node => {
    if (peek() === '(') {
      next();
      const inner = expression();
      if (next() !== ')') throw new WhereSyntaxError(') expected');
      return inner;
    }
    const ident = next();
    if (!/^[A-Za-z_]/.test(ident)) throw new WhereSyntaxError(`field name expected, got ${ident}`);
    const parts = ident.split('.');
    const last = parts[parts.length - 1]!;
    if ((last === 'Contains' || last === 'StartsWith') && peek() === '(') {
      next();
      const value = next();
      if (!value.startsWith('"') || next() !== ')') throw new WhereSyntaxError(`${last}("…") expected`);
      return { kind: 'call', path: parts.slice(0, -1), method: last, value: JSON.parse(value) as string };
    }
    const op = next();
    if (!['==', '!=', '>=', '<=', '>', '<'].includes(op)) throw new WhereSyntaxError(`a comparison expected after ${ident}`);
    const value = literal(next());
    // Ordering compares numbers or dates; a date field against text is an operand type mismatch (Xero's LINQ-style where).
    if (op !== '==' && op !== '!=' && (typeof value === 'string' || typeof value === 'boolean' || value === null)) {
      throw new WhereSyntaxError(`operator '${op}' is incompatible with ${ident} and ${JSON.stringify(value)}: compare dates with DateTime(year, month, day)`);
    }
    return { kind: 'compare', path: parts, op: op as Op, value };
  };
  const conjunction = (): Node => {
    let node = factor();
    while (peek() === 'AND' || peek() === '&&') {
      next();
      node = { kind: 'and', left: node, right: factor() };
    }
    return node;
  };
  const expression = (): Node => {
    let node = conjunction();
    while (peek() === 'OR' || peek() === '||') {
      next();
      node = { kind: 'or', left: node, right: conjunction() };
    }
    return node;
  };
  const tree = expression();
  if (pos !== tokens.length) throw new WhereSyntaxError(`unexpected ${tokens[pos]}`);
  return tree;
}

function valueAt(record: XeroRecord, path: string[]): unknown {
  let value: unknown = record;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    const entry = Object.entries(value as XeroRecord).find(([key]) => key.toLowerCase() === part.toLowerCase());
    value = entry?.[1];
  }
  return value;
}

export function matchesWhere(node: Node, record: XeroRecord, caseInsensitive: boolean): boolean {
  const fold = (text: string) => (caseInsensitive ? text.toLowerCase() : text);
  switch (node.kind) {
    case 'and':
      return matchesWhere(node.left, record, caseInsensitive) && matchesWhere(node.right, record, caseInsensitive);
    case 'or':
      return matchesWhere(node.left, record, caseInsensitive) || matchesWhere(node.right, record, caseInsensitive);
    case 'call': {
      const value = valueAt(record, node.path);
      if (typeof value !== 'string') return false;
      return node.method === 'Contains' ? fold(value).includes(fold(node.value)) : fold(value).startsWith(fold(node.value));
    }
    case 'compare': {
      const value = valueAt(record, node.path) ?? null;
      if (isDate(node.value) || node.op !== '==' && node.op !== '!=') return ordered(value, node.op, node.value);
      const equal = typeof value === 'string' && typeof node.value === 'string' ? fold(value) === fold(node.value) : value === node.value;
      return node.op === '==' ? equal : !equal;
    }
  }
}

function isDate(value: Value): value is DateValue {
  return typeof value === 'object' && value !== null;
}

/** A stored date (`/Date(ms+0000)/` or ISO text) as its UTC day's midnight; a number as itself. */
function comparable(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return null;
  const ms = /^\/Date\((-?\d+)/.exec(value)?.[1];
  const at = ms !== undefined ? Number(ms) : Date.parse(value);
  if (Number.isNaN(at)) return null;
  const day = new Date(at);
  return Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate());
}

function ordered(actual: unknown, op: Op, expected: Value): boolean {
  const a = isDate(expected) ? comparable(actual) : typeof actual === 'number' ? actual : null;
  const b = isDate(expected) ? expected.date : typeof expected === 'number' ? expected : null;
  if (a === null || b === null) return false;
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '<':
      return a < b;
  }
}
