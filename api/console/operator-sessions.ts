import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, lte } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { operators, operatorSessions } from '../../db/schema.js';

/** A session lasts a working day; signing in again is cheap and a stolen cookie goes stale. */
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;

export interface OperatorSession {
  operatorId: string;
  email: string;
  csrfToken: string;
}

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');
const randomToken = () => randomBytes(32).toString('base64url');

/** Starts a session; the returned token goes into the cookie and nowhere else. */
export async function createSession(db: Database, operatorId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + SESSION_LIFETIME_MS);
  // Expired sessions of this operator go as a new one starts: the table stays small without a sweeper.
  await db.delete(operatorSessions).where(and(eq(operatorSessions.operatorId, operatorId), lte(operatorSessions.expiresAt, now)));
  await db.insert(operatorSessions).values({ idHash: digest(token), operatorId, csrfToken: randomToken(), expiresAt });
  return { token, expiresAt };
}

export async function findSession(db: Database, token: string, now = new Date()): Promise<OperatorSession | null> {
  const [row] = await db
    .select({ operatorId: operatorSessions.operatorId, email: operators.email, csrfToken: operatorSessions.csrfToken })
    .from(operatorSessions)
    .innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
    .where(and(eq(operatorSessions.idHash, digest(token)), gt(operatorSessions.expiresAt, now)));
  return row ?? null;
}

export async function endSession(db: Database, token: string): Promise<void> {
  await db.delete(operatorSessions).where(eq(operatorSessions.idHash, digest(token)));
}
