import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const serverUrl = process.env.DATABASE_URL;
const child = fileURLToPath(new URL('./support/open-database-process.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));

// PGlite is single-process (no second process can open its directory): the race only exists on a server.
describe.runIf(serverUrl)('migrations on a fresh PostgreSQL database', () => {
  it('several processes starting at once (API, worker, ...) all open it, and the schema is migrated once', async () => {
    const { default: postgres } = await import('postgres');
    const admin = postgres(serverUrl!, { max: 1, onnotice: () => {} });
    const name = `ledgerbridge_lock_${randomBytes(4).toString('hex')}`;
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(serverUrl!);
    url.pathname = `/${name}`;
    try {
      const results = await Promise.allSettled(Array.from({ length: 4 }, () => run(tsx, [child, url.toString()], { timeout: 60_000 })));
      const failures = results.flatMap((r) => (r.status === 'rejected' ? [String((r.reason as { stderr?: string }).stderr ?? r.reason).slice(0, 400)] : []));
      expect(failures).toEqual([]);
      const db = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        const applied = await db<{ n: string }[]>`select count(*)::text as n from drizzle.__drizzle_migrations`;
        const { default: journal } = await import('../db/migrations/meta/_journal.json', { with: { type: 'json' } });
        expect(Number(applied[0]!.n)).toBe(journal.entries.length);
      } finally {
        await db.end({ timeout: 5 });
      }
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    }
  });
});
