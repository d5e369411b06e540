import { eq, lt } from 'drizzle-orm';
import type { Database } from '../db/database.js';
import { connectLinkUses } from '../db/schema.js';
import type { ConnectLinkClaims } from '../security/connect-link.js';

export async function isConnectLinkSpent(db: Database, claims: ConnectLinkClaims): Promise<boolean> {
  const [row] = await db.select({ nonce: connectLinkUses.nonce }).from(connectLinkUses).where(eq(connectLinkUses.nonce, claims.nonce));
  return row !== undefined;
}

/** Spends a signed connect link; false when it was spent before. One INSERT decides between two clicks. */
export async function spendConnectLink(db: Database, claims: ConnectLinkClaims): Promise<boolean> {
  // Spent links past their expiry would be refused anyway: keep the table small.
  await db.delete(connectLinkUses).where(lt(connectLinkUses.expiresAt, new Date()));
  const inserted = await db
    .insert(connectLinkUses)
    .values({ nonce: claims.nonce, integrationId: claims.integrationId, expiresAt: new Date(claims.expiresAt) })
    .onConflictDoNothing()
    .returning({ nonce: connectLinkUses.nonce });
  return inserted.length === 1;
}
