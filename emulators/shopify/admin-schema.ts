import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

/**
 * Shopify's own Admin GraphQL schema, one per API version, from the introspection results Shopify publishes in
 * `@shopify/dev-mcp` (dist/data/admin_<version>.json.gz, ISC). The emulator serves exactly these types, so a
 * query that would not validate against Shopify does not validate here either.
 */
const DATA_DIR = findDataDir();

/** The package exports no files, so find it the way Node would: the nearest node_modules up from here. */
function findDataDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'node_modules', '@shopify', 'dev-mcp', 'dist', 'data');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('@shopify/dev-mcp is not installed (npm install): the Shopify emulator needs its Admin schemas');
    dir = parent;
  }
}

interface SupportedVersions {
  admin: Array<{ name: string; latestVersion?: boolean; releaseCandidate?: boolean }>;
}

let versions: string[] | null = null;

/** Admin API versions the package holds, oldest first, `unstable` last. */
export function adminSchemaVersions(): string[] {
  if (!versions) {
    const listed = (JSON.parse(readFileSync(join(DATA_DIR, 'supported-versions-schema.json'), 'utf8')) as SupportedVersions).admin.map((v) => v.name);
    const dated = listed.filter((v) => /^\d{4}-\d{2}$/.test(v)).sort();
    versions = [...dated, ...(listed.includes('unstable') ? ['unstable'] : [])];
  }
  return versions;
}

/** The oldest supported version: where Shopify sends a request for a version it no longer (or never) served. */
export function oldestSupportedVersion(): string {
  return adminSchemaVersions()[0]!;
}

/** Newest stable (dated) version the package holds. */
export function newestStableVersion(): string {
  const dated = adminSchemaVersions().filter((v) => v !== 'unstable');
  return dated[dated.length - 1]!;
}

/** The version Shopify answers a request for `requested` with (the `X-Shopify-API-Version` response header). */
export function servedVersionFor(requested: string): string {
  return adminSchemaVersions().includes(requested) ? requested : oldestSupportedVersion();
}

/** The version after `version` in the package (unstable when none newer): where a breaking change shows first. */
export function nextVersionAfter(version: string): string {
  const all = adminSchemaVersions();
  const index = all.indexOf(version);
  if (index < 0) throw new Error(`@shopify/dev-mcp holds no Admin schema for ${version}`);
  return all[index + 1] ?? 'unstable';
}

const cache = new Map<string, GraphQLSchema>();

/** The schema of one version, built on first use (a second or so) and kept. */
export function loadAdminSchema(version: string): GraphQLSchema {
  let schema = cache.get(version);
  if (!schema) {
    if (!adminSchemaVersions().includes(version)) throw new Error(`@shopify/dev-mcp holds no Admin schema for ${version}`);
    const introspection = JSON.parse(gunzipSync(readFileSync(join(DATA_DIR, `admin_${version}.json.gz`))).toString('utf8')) as
      | { data: IntrospectionQuery }
      | IntrospectionQuery;
    schema = buildClientSchema('data' in introspection ? introspection.data : introspection, { assumeValid: true });
    cache.set(version, schema);
  }
  return schema;
}

/** The values of an enum in a version's schema (e.g. every CurrencyCode Shopify has). */
export function enumValues(version: string, enumName: string): Set<string> {
  const type = loadAdminSchema(version).getType(enumName);
  if (!type || !('getValues' in type)) throw new Error(`the ${version} Admin schema has no enum ${enumName}`);
  return new Set(type.getValues().map((v) => v.name));
}
