import { Connection } from '@temporalio/client';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';
import { temporalConnectionFromEnv, type TemporalConnectionOptions } from '../runtime/temporal-connection.js';
import proto from '@temporalio/proto';
import type { temporal as ProtoTypes } from '@temporalio/proto';

// @temporalio/proto is CommonJS: its namespace comes through the default export under Node's ESM loader.
const { temporal } = proto;

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

/**
 * Registers our search attributes through the operator API. Needed on every start with a persisted dev
 * server (the CLI's --search-attribute flag only applies when the namespace is first created) and once
 * per production cluster. Attributes that already exist are left alone.
 */
export async function registerSearchAttributes(address: string, namespace = 'default', options: TemporalConnectionOptions = {}): Promise<string[]> {
  const connection = await Connection.connect({ address, ...options });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = allSearchAttributeKeys.filter((key) => !known.has(key.name));
    if (missing.length === 0) return [];
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedType(key.type)])),
    });
    return missing.map((key) => key.name);
  } finally {
    await connection.close();
  }
}

function indexedType(type: string): ProtoTypes.api.enums.v1.IndexedValueType {
  const name = `INDEXED_VALUE_TYPE_${type.toUpperCase()}` as keyof typeof IndexedValueType;
  const value = IndexedValueType[name];
  if (value === undefined) throw new Error(`Unknown search attribute type ${type}`);
  return value as ProtoTypes.api.enums.v1.IndexedValueType;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Temporal's standard environment configuration, as the API and worker read it (TLS, API key, profiles).
  const temporal = temporalConnectionFromEnv(process.env);
  const added = await registerSearchAttributes(temporal.address, temporal.namespace, temporal.connection);
  console.log(added.length ? `Registered search attributes: ${added.join(', ')}` : 'Search attributes already registered.');
}
