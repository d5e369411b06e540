import type { XmlElement } from '../../platforms/qbd/xml-tree.js';
import { QBXML_SCHEMA, type QbxmlAttribute, type QbxmlDeclaration, type QbxmlParticle, type QbxmlSimpleType } from './schema-facts.js';

/**
 * Checks a qbXML element against its declaration in Intuit's qbXML 16.0 schema (emulators/qbd/schema-facts.json).
 *
 * Two kinds of finding, because QuickBooks treats them differently (FIDELITY.md §2):
 * - `structure` (an unknown element or attribute, elements out of schema order, a required element missing, a
 *   value outside its type): QuickBooks' parser refuses the whole request set with HRESULT 0x80040400;
 * - `too-long` (a string over its xsd:maxLength): the one request is answered with status 3070.
 */
export type QbxmlViolation =
  | { kind: 'structure'; path: string; detail: string }
  | { kind: 'too-long'; path: string; field: string; value: string; maxLength: number };

type Named = Extract<QbxmlParticle, { element: string }>;

function declarationOf(particle: Named): QbxmlDeclaration {
  if (particle.ref === true) {
    const global = QBXML_SCHEMA.elements[particle.element];
    if (!global) throw new Error(`schema facts lack element ${particle.element}`);
    return global;
  }
  return particle.declaration;
}

function isElement(p: QbxmlParticle): p is Named {
  return 'element' in p;
}

function innerParticles(p: QbxmlParticle): QbxmlParticle[] {
  return 'sequence' in p ? p.sequence : 'choice' in p ? p.choice : [];
}

/** Every element particle the model can hold, by name (the first declaration of a name wins). */
function elementParticles(p: QbxmlParticle, into = new Map<string, Named>()): Map<string, Named> {
  if (isElement(p)) {
    if (!into.has(p.element)) into.set(p.element, p);
  } else {
    for (const c of innerParticles(p)) elementParticles(c, into);
  }
  return into;
}

function nullableOnce(p: QbxmlParticle): boolean {
  if (isElement(p)) return false;
  if ('sequence' in p) return p.sequence.every((c) => c.minOccurs === 0 || nullableOnce(c));
  return p.choice.some((c) => c.minOccurs === 0 || nullableOnce(c));
}

/** Matches child names against a content model: positions a particle can end at, and the furthest element matched. */
class ContentMatcher {
  furthest = 0;
  private readonly memo = new WeakMap<QbxmlParticle, Map<number, Set<number>>>();

  constructor(private readonly names: string[]) {}

  accepts(model: QbxmlParticle): boolean {
    return this.ends(model, 0).has(this.names.length);
  }

  private once(p: QbxmlParticle, pos: number): Set<number> {
    if (isElement(p)) {
      if (this.names[pos] !== p.element) return new Set();
      this.furthest = Math.max(this.furthest, pos + 1);
      return new Set([pos + 1]);
    }
    if ('sequence' in p) {
      let current = new Set([pos]);
      for (const item of p.sequence) {
        const next = new Set<number>();
        for (const c of current) for (const e of this.ends(item, c)) next.add(e);
        current = next;
        if (current.size === 0) break;
      }
      return current;
    }
    const out = new Set<number>();
    for (const item of p.choice) for (const e of this.ends(item, pos)) out.add(e);
    return out;
  }

  private ends(p: QbxmlParticle, pos: number): Set<number> {
    let byPos = this.memo.get(p);
    if (!byPos) this.memo.set(p, (byPos = new Map()));
    const known = byPos.get(pos);
    if (known) return known;
    // An occurrence that can match nothing satisfies any minimum by itself.
    const min = nullableOnce(p) ? 0 : p.minOccurs;
    const result = new Set<number>();
    if (min === 0) result.add(pos);
    const seen = new Set([pos]);
    let frontier = [pos];
    for (let count = 1; frontier.length > 0 && (p.maxOccurs === null || count <= p.maxOccurs); count++) {
      const next: number[] = [];
      for (const f of frontier) {
        for (const e of this.once(p, f)) {
          if (count >= min) result.add(e);
          if (!seen.has(e)) {
            seen.add(e);
            next.push(e);
          }
        }
      }
      frontier = next;
    }
    byPos.set(pos, result);
    return result;
  }
}

function requiredMissing(model: QbxmlParticle, present: Set<string>): string | undefined {
  if (isElement(model)) return model.minOccurs > 0 && !present.has(model.element) ? model.element : undefined;
  if ('sequence' in model && model.minOccurs > 0) {
    for (const c of model.sequence) {
      const missing = requiredMissing(c, present);
      if (missing) return missing;
    }
  }
  return undefined;
}

const DATE = /^\d{4}-\d{1,2}-\d{1,2}$/;

/** Why a text value does not fit its type, or undefined. Lengths are checked apart (they are a status, not a parse error). */
function valueProblem(value: string, type: QbxmlSimpleType): string | undefined {
  if (type.enumeration && !type.enumeration.includes(value)) return `"${value}" is not one of ${type.enumeration.join(', ')}`;
  const base = QBXML_SCHEMA.baseTypes[type.base];
  const pattern = type.pattern ?? base?.pattern;
  if (pattern && !new RegExp(`^(?:${pattern})$`).test(value)) return `"${value}" does not match ${type.base}`;
  switch (type.base) {
    case 'BOOLTYPE':
      return ['true', 'false', '1', '0', ''].includes(value) ? undefined : `"${value}" is not a boolean`;
    case 'DATETYPE':
      return value === '' || DATE.test(value) ? undefined : `"${value}" is not a date (YYYY-MM-DD)`;
    case 'INTTYPE':
      return /^[+-]?\d+$/.test(value) ? undefined : `"${value}" is not an integer`;
    default:
      return undefined;
  }
}

function maxLengthOf(type: QbxmlSimpleType): number | undefined {
  return type.maxLength ?? QBXML_SCHEMA.baseTypes[type.base]?.maxLength;
}

function checkAttributes(element: XmlElement, declared: QbxmlAttribute[], path: string, out: QbxmlViolation[]): void {
  for (const [name, value] of Object.entries(element.attributes)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const attr = declared.find((a) => a.name === name);
    if (!attr) {
      out.push({ kind: 'structure', path, detail: `attribute ${name} is not allowed on ${element.local}` });
      continue;
    }
    const problem = attr.type ? valueProblem(value, attr.type) : undefined;
    if (problem) out.push({ kind: 'structure', path, detail: `attribute ${name}: ${problem}` });
  }
  for (const attr of declared) {
    if (attr.required && !(attr.name in element.attributes)) out.push({ kind: 'structure', path, detail: `attribute ${attr.name} is required on ${element.local}` });
  }
}

/** Every violation in `element` and below, checked against `declaration`. */
export function checkQbxmlElement(element: XmlElement, declaration: QbxmlDeclaration, path = element.local): QbxmlViolation[] {
  const out: QbxmlViolation[] = [];
  checkAttributes(element, declaration.attributes, path, out);
  if (declaration.text) {
    if (element.children.length > 0) {
      out.push({ kind: 'structure', path, detail: `${element.local} takes a value, not elements (found ${element.children[0]!.local})` });
      return out;
    }
    const problem = valueProblem(element.text, declaration.text);
    if (problem) out.push({ kind: 'structure', path, detail: `${element.local}: ${problem}` });
    const max = maxLengthOf(declaration.text);
    if (max !== undefined && [...element.text].length > max) {
      out.push({ kind: 'too-long', path, field: element.local, value: element.text, maxLength: max });
    }
    return out;
  }
  if (element.text.trim() !== '') out.push({ kind: 'structure', path, detail: `${element.local} takes elements, not text` });
  const model = declaration.content;
  const names = element.children.map((c) => c.local);
  if (!model) {
    if (names.length > 0) out.push({ kind: 'structure', path, detail: `${element.local} takes no elements (found ${names[0]})` });
    return out;
  }
  const known = elementParticles(model);
  const matcher = new ContentMatcher(names);
  if (!matcher.accepts(model)) {
    if (matcher.furthest < names.length) {
      const name = names[matcher.furthest]!;
      const missing = requiredMissing(model, new Set(names));
      if (known.has(name) && missing) {
        out.push({ kind: 'structure', path, detail: `${element.local} requires ${missing}` });
        return out;
      }
      const after = matcher.furthest > 0 ? ` after ${names[matcher.furthest - 1]}` : ' first';
      out.push({
        kind: 'structure',
        path,
        detail: known.has(name) ? `${name} is not allowed${after} in ${element.local} (schema order)` : `${name} is not an element of ${element.local}`,
      });
    } else {
      const missing = requiredMissing(model, new Set(names));
      out.push({ kind: 'structure', path, detail: missing ? `${element.local} requires ${missing}` : `${element.local} is missing a required element` });
    }
    return out;
  }
  for (const child of element.children) {
    const particle = known.get(child.local)!;
    out.push(...checkQbxmlElement(child, declarationOf(particle), `${path}/${child.local}`));
  }
  return out;
}
