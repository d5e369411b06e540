import { stringLengthFault, validationFault, type QboFaultResponse } from './fault-bodies.js';
import { FIELD_LENGTHS, maxLengthFor, type QboFieldLengthVariant } from './field-lengths.js';
import type { QboRecord } from './query-evaluation.js';
import { complexType, QBO_SCHEMA } from './schema-facts.js';

/**
 * Checks a create body against Intuit's XSD facts the way QBO's JSON reader does: unknown properties and values
 * of the wrong type are refused with 2010, enumerations with 2170, strings over the limit with 2050. Business rules
 * (references, tax, totals) stay in the per-entity rule modules.
 */
export type SchemaViolation =
  | { kind: 'unknown-property'; path: string; typeName: string; property: string }
  | { kind: 'wrong-type'; path: string; expected: string; value: unknown }
  | { kind: 'invalid-enumeration'; path: string; value: string }
  | { kind: 'missing'; path: string };

/** Types the facts do not follow (free-form extension points and types we never send); anything is accepted. */
const OPEN_TYPES = new Set(['IntuitAnyType', 'CustomField', 'NameValue', 'Attachable', 'LinkedTxn']);

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function scalarProblem(type: string, value: unknown): string | null {
  const enumeration = QBO_SCHEMA.simpleTypes[type]?.enumeration;
  switch (enumeration ? 'enum' : type === 'id' ? 'xs:string' : type) {
    case 'enum':
      return typeof value === 'string' ? null : type;
    case 'xs:string':
    case 'xs:anyURI':
      // QBO's reader turns numbers and booleans into strings, but not objects or arrays.
      return ['string', 'number', 'boolean'].includes(typeof value) ? null : 'java.lang.String';
    case 'xs:decimal':
      return typeof value === 'number' || (typeof value === 'string' && DECIMAL.test(value.trim())) ? null : 'java.math.BigDecimal';
    case 'xs:int':
    case 'xs:positiveInteger':
      return Number.isInteger(typeof value === 'string' ? Number(value) : value) ? null : 'java.math.BigInteger';
    case 'xs:boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false' ? null : 'java.lang.Boolean';
    case 'xs:date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? null : 'java.util.Date';
    case 'xs:dateTime':
      return typeof value === 'string' ? null : 'java.util.Date';
    default:
      return null;
  }
}

/** All violations of `value` against XSD type `typeName`, depth first, in property order. */
export function findSchemaViolations(typeName: string, value: unknown, path = typeName): SchemaViolation[] {
  if (value === null || value === undefined || OPEN_TYPES.has(typeName)) return [];
  const type = complexType(typeName);
  if (!type) {
    const expected = scalarProblem(typeName, value);
    if (expected) return [{ kind: 'wrong-type', path, expected, value }];
    const enumeration = QBO_SCHEMA.simpleTypes[typeName]?.enumeration;
    if (enumeration && !enumeration.includes(value as string)) return [{ kind: 'invalid-enumeration', path, value: String(value) }];
    return [];
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return [{ kind: 'wrong-type', path, expected: `com.intuit.schema.finance.v3.${typeName}`, value }];
  }
  const violations: SchemaViolation[] = [];
  for (const [property, child] of Object.entries(value as QboRecord)) {
    const childPath = `${path}.${property}`;
    if (type.simpleContentBase !== undefined && property === 'value') {
      violations.push(...findSchemaViolations(type.simpleContentBase, child, childPath));
      continue;
    }
    const field = type.fields.find((f) => f.name === property);
    if (!field) {
      violations.push({ kind: 'unknown-property', path: childPath, typeName, property });
      continue;
    }
    if (field.maxOccurs === 'unbounded') {
      if (child === null || child === undefined) continue;
      if (!Array.isArray(child)) {
        violations.push({ kind: 'wrong-type', path: childPath, expected: `java.util.List<${field.type}>`, value: child });
        continue;
      }
      child.forEach((item, index) => violations.push(...findSchemaViolations(field.type, item, `${childPath}[${index}]`)));
    } else {
      violations.push(...findSchemaViolations(field.type, child, childPath));
    }
  }
  return violations;
}

/** Fields the API reference marks required on lines of the sales documents we send. */
function missingLineFields(body: QboRecord): SchemaViolation[] {
  if (!Array.isArray(body.Line)) return [];
  return body.Line.flatMap((line: unknown, index: number): SchemaViolation[] => {
    if (!line || typeof line !== 'object') return [];
    const record = line as QboRecord;
    if (record.DetailType === undefined || record.DetailType === null) return [{ kind: 'missing', path: `Line[${index}].DetailType` }];
    return [];
  });
}

function elementOf(path: string, entity: string): string {
  return path.startsWith(`${entity}.`) ? path.slice(entity.length + 1) : path;
}

function faultFor(entity: string, violation: SchemaViolation, nowMs: number): QboFaultResponse {
  const element = elementOf(violation.path, entity);
  switch (violation.kind) {
    case 'unknown-property':
      return validationFault(nowMs, {
        Message: 'Request has invalid or unsupported property',
        Detail: `Property Name:Unrecognized field "${violation.property}" (class com.intuit.schema.finance.v3.${violation.typeName}), not marked as ignorable specified is unsupported or invalid`,
        code: '2010',
        element,
      });
    case 'wrong-type':
      return validationFault(nowMs, {
        Message: 'Request has invalid or unsupported property',
        Detail: `Property Name:Can not construct instance of ${violation.expected} from ${JSON.stringify(violation.value)} specified is unsupported or invalid`,
        code: '2010',
        element,
      });
    case 'invalid-enumeration':
      return validationFault(nowMs, { Message: 'Invalid Enumeration', Detail: `Invalid Enumeration : ${violation.value}`, code: '2170', element });
    case 'missing':
      return validationFault(nowMs, {
        Message: 'Required param missing, need to supply the required value for the API',
        Detail: `Required parameter ${element} is missing in the request`,
        code: '2020',
        element,
      });
  }
}

function valuesAt(record: unknown, path: string): { element: string; value: unknown }[] {
  const [head, ...rest] = path.split('.');
  if (!head || record === null || typeof record !== 'object') return [];
  const tail = rest.join('.');
  if (head.endsWith('[]')) {
    const list = (record as QboRecord)[head.slice(0, -2)];
    if (!Array.isArray(list)) return [];
    return list.flatMap((item, index) =>
      (tail ? valuesAt(item, tail) : [{ element: '', value: item }]).map((found) => ({
        element: `${head.slice(0, -2)}[${index}]${found.element ? `.${found.element}` : ''}`,
        value: found.value,
      })),
    );
  }
  const value = (record as QboRecord)[head];
  if (!tail) return [{ element: head, value }];
  return valuesAt(value, tail).map((found) => ({ element: `${head}.${found.element}`, value: found.value }));
}

export type CheckedEntity = keyof typeof FIELD_LENGTHS;

/** Throws the Fault QBO answers when a create body breaks Intuit's schema or a field length. */
export function checkEntityBody(entity: CheckedEntity, body: QboRecord, nowMs: number, variant: QboFieldLengthVariant): void {
  const violation = findSchemaViolations(entity, body)[0] ?? missingLineFields(body)[0];
  if (violation) throw faultFor(entity, violation, nowMs);
  for (const field of FIELD_LENGTHS[entity]) {
    const max = maxLengthFor(field, variant);
    for (const { element, value } of valuesAt(body, field.path)) {
      if (typeof value === 'string' && value.length > max) throw stringLengthFault(nowMs, element, max, value.length);
    }
  }
}
