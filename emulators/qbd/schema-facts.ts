import { readFileSync } from 'node:fs';

/** A qbXML simple type as derived from Intuit's XSD: a base type of qbxmltypes160.xsd plus its facets. */
export interface QbxmlSimpleType {
  base: string;
  maxLength?: number;
  enumeration?: string[];
  pattern?: string;
}

export interface QbxmlAttribute {
  name: string;
  required: boolean;
  type?: QbxmlSimpleType;
  default?: string;
}

/** An element declaration: element content (`content`) or text (`text`), with its attributes. */
export interface QbxmlDeclaration {
  content?: QbxmlParticle;
  text?: QbxmlSimpleType;
  attributes: QbxmlAttribute[];
}

interface Occurrence {
  minOccurs: number;
  /** null = unbounded */
  maxOccurs: number | null;
  group?: string;
}

export type QbxmlParticle =
  | (Occurrence & { element: string; ref: true })
  | (Occurrence & { element: string; ref?: undefined; declaration: QbxmlDeclaration })
  | (Occurrence & { sequence: QbxmlParticle[] })
  | (Occurrence & { choice: QbxmlParticle[] });

export interface QbxmlSchemaFacts {
  source: { repository: string; ref: string; commit: string; paths: string[]; qbxmlVersion: string; derivedBy: string };
  baseTypes: Record<string, { base: string; maxLength?: number; pattern?: string; unionOf?: unknown[] }>;
  messageSet: {
    QBXMLMsgsRq: { attributes: QbxmlAttribute[]; requests: string[] };
    QBXMLMsgsRs: { attributes: QbxmlAttribute[] };
  };
  requests: Record<string, QbxmlDeclaration>;
  responses: Record<string, QbxmlDeclaration>;
  elements: Record<string, QbxmlDeclaration>;
}

/** Derived by scripts/derive-qbxml-schema-facts.py from Intuit's qbXML 16.0 XSDs; see FIDELITY.md. */
export const QBXML_SCHEMA: QbxmlSchemaFacts = JSON.parse(readFileSync(new URL('./schema-facts.json', import.meta.url), 'utf8'));

function particlesOf(p: QbxmlParticle | undefined): Extract<QbxmlParticle, { element: string }>[] {
  if (!p) return [];
  if ('element' in p) return [p];
  return ('sequence' in p ? p.sequence : p.choice).flatMap(particlesOf);
}

/** The declaration at a path of element names, e.g. ['SalesReceiptAdd', 'CustomerRef', 'FullName']. */
export function qbxmlDeclarationAt(path: string[]): QbxmlDeclaration | undefined {
  const [first, ...rest] = path;
  let declaration = first === undefined ? undefined : (QBXML_SCHEMA.elements[first] ?? QBXML_SCHEMA.requests[first] ?? QBXML_SCHEMA.responses[first]);
  for (const name of rest) {
    const particle = particlesOf(declaration?.content).find((p) => p.element === name);
    if (!particle) return undefined;
    declaration = particle.ref === true ? QBXML_SCHEMA.elements[name] : particle.declaration;
  }
  return declaration;
}

/** The schema's maximum length of the text at `path` (its own facet, else its base type's), if it has one. */
export function qbxmlMaxLength(path: string[]): number | undefined {
  const text = qbxmlDeclarationAt(path)?.text;
  return text ? (text.maxLength ?? QBXML_SCHEMA.baseTypes[text.base]?.maxLength) : undefined;
}

/** The element names a declaration's content may hold, in schema order. */
export function qbxmlChildOrder(path: string[]): string[] {
  return particlesOf(qbxmlDeclarationAt(path)?.content).map((p) => p.element);
}
