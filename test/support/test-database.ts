import { randomBytes } from 'node:crypto';
import { openDatabase, type OpenDatabase } from '../../db/database.js';

export interface TestDatabase {
  db: OpenDatabase['db'];
  /** The database's URL on a PostgreSQL server, for a second connection pool (what another process would open); none on PGlite. */
  url?: string;
  listen: OpenDatabase['listen'];
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: in-memory PGlite, or, when DATABASE_URL is set, a
 * uniquely named database on that server, dropped again by close().
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const opened = await openDatabase({});
    return { db: opened.db, listen: opened.listen, close: () => opened.close() };
  }
  const { default: postgres } = await import('postgres');
  const name = `ledgerbridge_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const opened = await openDatabase({ url: url.toString() });
    return {
      db: opened.db,
      url: url.toString(),
      listen: opened.listen,
      close: async () => {
        await opened.close();
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end({ timeout: 5 });
      },
    };
  } catch (error) {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
    throw error;
  }
}
