import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { operators } from '../../db/schema.js';
import { hashPassword, UNKNOWN_ACCOUNT_HASH, verifyPassword } from './password-hash.js';

/** Wrong passwords in a row an account may have before it waits; each one past that doubles the wait (1, 2, 4 … 60 min). */
export const FREE_SIGN_IN_ATTEMPTS = 5;
const MAX_LOCK_MINUTES = 60;
export const MIN_PASSWORD_LENGTH = 12;

export class OperatorAccountError extends Error {}

export function normalizeEmail(email: string): string {
  const normalized = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(normalized)) throw new OperatorAccountError(`"${email}" is not an email address.`);
  return normalized;
}

/** Creates an operator, or sets a new password when the email already has an account (`replace`). */
export async function saveOperator(db: Database, email: string, password: string, options: { replace?: boolean } = {}): Promise<{ id: string; email: string; created: boolean }> {
  const address = normalizeEmail(email);
  if (password.length < MIN_PASSWORD_LENGTH) throw new OperatorAccountError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  const passwordHash = await hashPassword(password);
  const [existing] = await db.select({ id: operators.id }).from(operators).where(eq(operators.email, address));
  if (existing) {
    if (!options.replace) throw new OperatorAccountError(`${address} already has an account. Use "passwd" to set a new password.`);
    await db.update(operators).set({ passwordHash, failedSignIns: 0, signInLockedUntil: null }).where(eq(operators.id, existing.id));
    return { id: existing.id, email: address, created: false };
  }
  const id = randomUUID();
  await db.insert(operators).values({ id, email: address, passwordHash });
  return { id, email: address, created: true };
}

export async function removeOperator(db: Database, email: string): Promise<boolean> {
  return (await db.delete(operators).where(eq(operators.email, normalizeEmail(email))).returning({ id: operators.id })).length > 0;
}

export async function listOperators(db: Database): Promise<{ email: string; createdAt: Date; lastSignInAt: Date | null }[]> {
  return db.select({ email: operators.email, createdAt: operators.createdAt, lastSignInAt: operators.lastSignInAt }).from(operators).orderBy(operators.email);
}

export type SignInResult = { ok: true; operatorId: string; email: string } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'locked'; until: Date };

/**
 * Checks an email and password, throttled per account: past FREE_SIGN_IN_ATTEMPTS wrong passwords the account
 * waits, and a password is not even tried while it does (a guesser learns nothing during the wait).
 */
export async function checkSignIn(db: Database, email: string, password: string, now = new Date()): Promise<SignInResult> {
  let address: string;
  try {
    address = normalizeEmail(email);
  } catch {
    await verifyPassword(password, await UNKNOWN_ACCOUNT_HASH);
    return { ok: false, reason: 'wrong' };
  }
  const [operator] = await db.select().from(operators).where(eq(operators.email, address));
  if (!operator) {
    await verifyPassword(password, await UNKNOWN_ACCOUNT_HASH);
    return { ok: false, reason: 'wrong' };
  }
  if (operator.signInLockedUntil && operator.signInLockedUntil > now) return { ok: false, reason: 'locked', until: operator.signInLockedUntil };
  if (await verifyPassword(password, operator.passwordHash)) {
    await db.update(operators).set({ failedSignIns: 0, signInLockedUntil: null, lastSignInAt: now }).where(eq(operators.id, operator.id));
    return { ok: true, operatorId: operator.id, email: operator.email };
  }
  const [counted] = await db
    .update(operators)
    .set({ failedSignIns: sql`${operators.failedSignIns} + 1` })
    .where(eq(operators.id, operator.id))
    .returning({ failedSignIns: operators.failedSignIns });
  const over = (counted?.failedSignIns ?? 0) - FREE_SIGN_IN_ATTEMPTS;
  if (over < 0) return { ok: false, reason: 'wrong' };
  const until = new Date(now.getTime() + Math.min(2 ** over, MAX_LOCK_MINUTES) * 60_000);
  await db.update(operators).set({ signInLockedUntil: until }).where(eq(operators.id, operator.id));
  return { ok: false, reason: 'locked', until };
}
