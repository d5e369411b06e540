import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** No Docker engine runs in CI: the production compose file is checked by reading it. */
describe('temporal-docker-compose.yml', () => {
  it('runs Temporal on PostgreSQL, the Temporal UI, and our API and worker with their configuration', async () => {
    const compose = parse(await readFile(new URL('../temporal-docker-compose.yml', import.meta.url), 'utf8'));
    const services = compose.services as Record<string, any>;
    expect(Object.keys(services).sort()).toEqual(['ledgerbridge-api', 'ledgerbridge-worker', 'postgresql', 'temporal', 'temporal-ui']);

    expect(services.temporal.environment.DB).toBe('postgres12');
    expect(services.temporal.environment.POSTGRES_SEEDS).toBe('postgresql');
    expect(services.temporal.depends_on.postgresql.condition).toBe('service_healthy');
    expect(services['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');

    for (const name of ['ledgerbridge-api', 'ledgerbridge-worker']) {
      const service = services[name];
      expect(service.build).toBe('.');
      const entry = service.command.at(-1);
      expect(existsSync(new URL(`../${entry}`, import.meta.url)), `${name} runs ${entry}`).toBe(true);
      expect(service.environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
      expect(service.environment.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgresql:5432\/ledgerbridge$/);
      // Secrets must be given, not defaulted: compose refuses to start without them.
      for (const secret of ['LEDGERBRIDGE_ENCRYPTION_KEY', 'OPERATOR_TOKEN', 'SHOPIFY_API_SECRET', 'QBO_CLIENT_SECRET']) {
        expect(String(service.environment[secret]), `${name} ${secret}`).toMatch(/^\$\{[A-Z_]+:\?/);
      }
    }
    expect(services['ledgerbridge-api'].ports).toContain('3000:3000');
  });

  it('creates the ledgerbridge database beside Temporal\'s and builds an image with the locked dependencies', async () => {
    const compose = parse(await readFile(new URL('../temporal-docker-compose.yml', import.meta.url), 'utf8'));
    const init = compose.services.postgresql.volumes.find((v: string) => v.includes('docker-entrypoint-initdb.d')).split(':')[0];
    expect(await readFile(new URL(`../${init}`, import.meta.url), 'utf8')).toMatch(/CREATE DATABASE ledgerbridge/);
    const dockerfile = await readFile(new URL('../Dockerfile', import.meta.url), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toMatch(/npm ci/);
  });
});
