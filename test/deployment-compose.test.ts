import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';

/** No Docker engine runs in CI: the production compose file is checked by reading it. */
const read = (path: string) => readFile(new URL(`../${path}`, import.meta.url), 'utf8');
const loadCompose = async () => parse(await read('temporal-docker-compose.yml'), { merge: true }) as { services: Record<string, any> };

/** "127.0.0.1:7233:7233" → { host: '127.0.0.1', container: 7233 }; "3000:3000" → { host: '0.0.0.0', … }. */
function publishedPorts(service: { ports?: (string | number)[] }): { host: string; container: number }[] {
  return (service.ports ?? []).map((port) => {
    const parts = String(port).split(':');
    const container = Number(parts.at(-1)!.split('/')[0]);
    return { host: parts.length === 3 ? parts[0]! : '0.0.0.0', container };
  });
}

describe('temporal-docker-compose.yml', () => {
  it('publishes only the API to the network: Temporal frontend and UI on loopback, the API listening on all interfaces in its container', async () => {
    const { services } = await loadCompose();
    const open = Object.entries(services).flatMap(([name, service]) =>
      publishedPorts(service).filter((port) => port.host !== '127.0.0.1').map((port) => `${name}:${port.container}`),
    );
    expect(open).toEqual(['ledgerbridge-api:3000']);
    expect(publishedPorts(services.temporal)).toEqual([{ host: '127.0.0.1', container: 7233 }]);
    // Loopback only, so no authorizer, said explicitly (temporal-server's --allow-no-auth, TEMPORAL_ALLOW_NO_AUTH).
    expect(services.temporal.environment.TEMPORAL_ALLOW_NO_AUTH).toBe('true');
    expect(publishedPorts(services['temporal-ui'])).toEqual([{ host: '127.0.0.1', container: 8080 }]);
    expect(publishedPorts(services.postgresql)).toEqual([]);
    expect(services['ledgerbridge-api'].environment.HOST).toBe('0.0.0.0');
    // Under contention the API's webhook answers go before the worker's bookings (bench figure 3).
    expect(services['ledgerbridge-worker'].cpu_shares).toBeLessThan(services['ledgerbridge-api'].cpu_shares ?? 1024);
    // The API only records webhooks; the worker (lower CPU weight) starts their syncs.
    expect(services['ledgerbridge-api'].environment.INTAKE_DRAINER).toBe('worker');
    expect(services['ledgerbridge-worker'].environment.INTAKE_DRAINER).toBe('worker');
    expect(String(services['ledgerbridge-api'].environment.PORT)).toBe('3000');
    // Metrics are for a scraper inside the compose network, never published.
    for (const name of ['ledgerbridge-api', 'ledgerbridge-worker']) {
      expect(services[name].environment.METRICS_HOST).toBe('0.0.0.0');
      expect(publishedPorts(services[name]).map((port) => port.container)).not.toContain(Number(services[name].environment.METRICS_PORT));
    }
  });

  it('runs Temporal from the production images, its schema migrated and its namespace and search attributes set up by admin-tools', async () => {
    const { services } = await loadCompose();
    expect(Object.keys(services).sort()).toEqual(['ledgerbridge-api', 'ledgerbridge-worker', 'postgresql', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui']);
    expect(JSON.stringify(services)).not.toContain('auto-setup');

    const serverVersion = services.temporal.image.match(/^temporalio\/server:(.+)$/)?.[1];
    expect(serverVersion).toBeTruthy();
    for (const setup of ['temporal-schema', 'temporal-namespace']) {
      // The schema tool and the server come from the same release, so the schema is the one the server expects.
      expect(services[setup].image).toBe(`temporalio/admin-tools:${serverVersion}`);
      expect(services[setup].restart).toMatch(/^on-failure/);
    }
    expect(services.temporal.environment).toMatchObject({ DB: 'postgres12', POSTGRES_SEEDS: 'postgresql' });
    expect(services.temporal.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully' } });
    expect(services['temporal-namespace'].depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
    expect(services['temporal-schema'].depends_on.postgresql.condition).toBe('service_healthy');
    expect(services['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');

    // Scripts are mounted from deploy/temporal and do what the services promise.
    const scriptOf = (name: string) => {
      const mount = services[name].volumes.find((v: string) => v.startsWith('./deploy/temporal:'));
      const [, target] = mount.split(':');
      const command = services[name].command.at(-1) as string;
      expect(command.startsWith(`${target}/`)).toBe(true);
      return read(`deploy/temporal/${command.slice(target.length + 1)}`);
    };
    const schema = await scriptOf('temporal-schema');
    // The databases the server opens: temporalio/server 1.31's built-in config template reads DBNAME and
    // VISIBILITY_DBNAME with these defaults, and the compose sets neither.
    expect(schema).toContain('migrate "${DBNAME:-temporal}" temporal');
    expect(schema).toContain('migrate "${VISIBILITY_DBNAME:-temporal_visibility}" visibility');
    expect(services.temporal.environment).not.toHaveProperty('DBNAME');
    expect(services.temporal.environment).not.toHaveProperty('VISIBILITY_DBNAME');
    expect(schema).toMatch(/sql create\b/);
    expect(schema).toMatch(/setup-schema -v 0\.0/);
    // admin-tools keeps the schema files in /etc/temporal/schema (scripts/verify-temporal-without-docker.ts points
    // TEMPORAL_SCHEMA_DIR at the server module's schema/ folder instead).
    expect(schema).toContain('SCHEMA_DIR="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}"');
    expect(schema).toMatch(/update-schema -d "\$\{SCHEMA_DIR\}\/postgresql\/v12\/\$\{schema\}\/versioned"/);

    const namespace = await scriptOf('temporal-namespace');
    expect(services['temporal-namespace'].environment.TEMPORAL_NAMESPACE).toBe('default');
    expect(namespace).toMatch(/operator namespace create -n "\$NAMESPACE"/);
    // A namespace just created is "not found" until the frontend's registry polls it in (seen with temporalio/server
    // 1.31 on PostgreSQL, scripts/verify-temporal-without-docker.ts): the attributes wait for it.
    expect(namespace).toMatch(/until existing="\$\(temporal operator search-attribute list -n "\$NAMESPACE" 2>\/dev\/null\)"; do/);
    const registered = namespace.match(/for attribute in ([^;]+);/)![1]!.trim().split(/\s+/);
    // Every search attribute our workflows set, with the type they declare it with.
    const typeName = (type: string) => type.toLowerCase().split('_').map((part) => part[0]!.toUpperCase() + part.slice(1)).join('');
    expect(registered.sort()).toEqual(allSearchAttributeKeys.map((key) => `${key.name}:${typeName(key.type)}`).sort());
    const dynamicConfig = services.temporal.volumes.find((v: string) => v.startsWith('./deploy/temporal/'))!.split(':')[0];
    expect(existsSync(new URL(`../${dynamicConfig}`, import.meta.url))).toBe(true);
  });

  it('runs our API and worker as compiled JavaScript with their configuration, after the namespace exists', async () => {
    const { services } = await loadCompose();
    const build = JSON.parse(await read('tsconfig.build.json')) as { files: string[] };
    for (const name of ['ledgerbridge-api', 'ledgerbridge-worker']) {
      const service = services[name];
      expect(service.build).toBe('.');
      const command = service.command as string[];
      // node, its flags (the worker's: runtime/worker-node-flags.ts), then the entry point.
      const [program, entry] = [command[0], command.at(-1)];
      expect(program).toBe('node');
      // dist/runtime/x.js is compiled from runtime/x.ts, which the build compiles.
      const source = entry!.replace(/^dist\//, '').replace(/\.js$/, '.ts');
      expect(existsSync(new URL(`../${source}`, import.meta.url)), `${name} runs ${entry}`).toBe(true);
      expect(build.files).toContain(source);
      expect(service.depends_on).toEqual({ 'temporal-namespace': { condition: 'service_completed_successfully' } });
      expect(service.environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(service.environment.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgresql:5432\/ledgerbridge$/);
      // Secrets must be given, not defaulted: compose refuses to start without them.
      for (const secret of ['LEDGERBRIDGE_ENCRYPTION_KEY', 'OPERATOR_TOKEN', 'SHOPIFY_API_SECRET', 'QBO_CLIENT_SECRET']) {
        expect(String(service.environment[secret]), `${name} ${secret}`).toMatch(/^\$\{[A-Z_]+:\?/);
      }
    }
  });

  it('creates the ledgerbridge database beside Temporal\'s and builds an image that runs the build, not tsx', async () => {
    const { services } = await loadCompose();
    const init = services.postgresql.volumes.find((v: string) => v.includes('docker-entrypoint-initdb.d')).split(':')[0];
    expect(await read(init)).toMatch(/CREATE DATABASE ledgerbridge/);
    const dockerfile = await read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20\S* AS build$/m);
    expect(dockerfile).toMatch(/^RUN npm run build$/m);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/runtime\/[a-z-]+\.js"\]$/m);
    expect(dockerfile).not.toMatch(/^(CMD|ENTRYPOINT).*tsx/m);
    expect((await read('.dockerignore')).split('\n')).toContain('dist');
  });
});
