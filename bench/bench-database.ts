// A fresh PostgreSQL database for a bench whose processes share one (PGlite serves one process only).
import postgres from 'postgres';

/** The server benches create their databases on: DATABASE_URL, else the local one. */
export const benchServerUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function createBenchDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${Date.now().toString(36)}`;
  await admin((sql) => sql.unsafe(`create database "${name}"`));
  const url = new URL(benchServerUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin((sql) => sql.unsafe(`drop database if exists "${name}" with (force)`)) };
}

async function admin(run: (sql: postgres.Sql) => Promise<unknown>): Promise<void> {
  const sql = postgres(benchServerUrl, { max: 1, onnotice: () => {} });
  try {
    await run(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
