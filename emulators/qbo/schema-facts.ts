import { readFileSync } from 'node:fs';

/** One element or attribute of an Intuit XSD complex type, as derived into schema-facts.json. */
export interface SchemaField {
  name: string;
  /** `xs:string`, `xs:decimal`, … or the name of another type in the facts. */
  type: string;
  minOccurs: number;
  maxOccurs: string;
  declaredIn: string;
  choiceGroup?: string;
  xmlAttribute?: boolean;
  /** Always null: Intuit's XSDs carry no xs:maxLength facets. */
  maxLengthFacet: null;
  documentedLengths?: { product: string; max: number; says: string }[];
  documentedRequired?: string[];
  documentedInputType?: string[];
}

export interface SchemaComplexType {
  file: string;
  abstract: boolean;
  extends: string[];
  simpleContentBase?: string;
  fields: SchemaField[];
}

export interface SchemaSimpleType {
  file: string;
  base?: string;
  enumeration?: string[];
}

export interface QboSchemaFacts {
  source: { repository: string; commit: string; paths: string[]; derivedBy: string };
  roots: string[];
  complexTypes: Record<string, SchemaComplexType>;
  simpleTypes: Record<string, SchemaSimpleType>;
}

/** Intuit's schema facts (regenerate with scripts/derive-qbo-schema-facts.py; never hand-edit). */
export const QBO_SCHEMA: QboSchemaFacts = JSON.parse(readFileSync(new URL('./schema-facts.json', import.meta.url), 'utf8')) as QboSchemaFacts;

export function complexType(name: string): SchemaComplexType | undefined {
  return QBO_SCHEMA.complexTypes[name];
}

/** The longest length Intuit's XSD documentation states for QuickBooks Online (product QBO or ALL), if any. */
export function documentedQboMaxLength(typeName: string, field: string): number[] {
  const found = QBO_SCHEMA.complexTypes[typeName]?.fields.find((f) => f.name === field);
  return [...new Set((found?.documentedLengths ?? []).filter((l) => l.product === 'QBO' || l.product === 'ALL').map((l) => l.max))];
}
