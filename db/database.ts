import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema.js';

/** Both drivers (postgres-js and PGlite) give the same query builder; code depends on this type only. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface OpenDatabase {
  db: Database;
  /** Which engine answered: 'postgres' when DATABASE_URL was used, 'pglite' for the embedded one. */
  engine: 'postgres' | 'pglite';
  /**
   * Calls `onNotify` for every NOTIFY on `channel` (from any process on the same database) until the returned
   * function is called. Wakes background work that another process queued (the intake drainer in the worker).
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Key of the session-level advisory lock held while migrating (any fixed bigint; this one spells "ledgerbr").
 * The API and the worker often start together on a fresh database: without the lock both create
 * drizzle's bookkeeping table and our types at once and one of them crashes.
 */
export const MIGRATION_LOCK_KEY = 0x6c65646765726272n;

/**
 * Opens the database and brings its schema up to date. A URL means a real PostgreSQL server
 * (the `postgres` driver); no URL means embedded PGlite, in `pgliteDir` or in memory.
 */
export async function openDatabase(options: { url?: string; pgliteDir?: string }): Promise<OpenDatabase> {
  if (options.url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const { migrate } = await import('drizzle-orm/postgres-js/migrator');
    // One dedicated connection holds the lock and runs the migrations; whoever waits behind it then finds them applied.
    const migrator = postgres(options.url, { max: 1, onnotice: () => {} });
    try {
      await migrator`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
      await migrate(drizzle(migrator, { schema }), { migrationsFolder });
      await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`;
    } finally {
      // Ending the session also releases the lock if a migration failed.
      await migrator.end({ timeout: 5 });
    }
    const client = postgres(options.url, { max: 10, onnotice: () => {} });
    const db = drizzle(client, { schema });
    return {
      db: db as unknown as Database,
      engine: 'postgres',
      // postgres-js gives LISTEN a connection of its own and re-listens after a reconnect.
      listen: async (channel, onNotify) => {
        const { unlisten } = await client.listen(channel, () => onNotify());
        return unlisten;
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  // PGlite is single-process: no other process can open the same directory, so no lock is needed.
  const client = new PGlite(options.pgliteDir);
  const db = drizzle(client, { schema });
  await migrate(db, { migrationsFolder });
  return {
    db: db as unknown as Database,
    engine: 'pglite',
    listen: async (channel, onNotify) => client.listen(channel, () => onNotify()),
    close: () => client.close(),
  };
}
