import { timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { CredentialStore } from '../../db/credential-store.js';
import type { Database } from '../../db/database.js';
import { integrations, qbwcContacts } from '../../db/schema.js';
import type { QbwcAccount, QbwcAccounts, QbwcSessionEvent } from './qbwc-endpoint.js';

export type QbwcContact = typeof qbwcContacts.$inferSelect;

export async function loadQbwcContact(db: Database, integrationId: string): Promise<QbwcContact | null> {
  const [row] = await db.select().from(qbwcContacts).where(eq(qbwcContacts.integrationId, integrationId));
  return row ?? null;
}

/**
 * The Web Connector logins of QuickBooks Desktop integrations, and what each visit told us: the last time it came,
 * a refused password, the HRESULT QuickBooks gave when it could not open the company file. Health reads them.
 * The password is the integration's credential (encrypted like every token, in the credential store).
 */
export class QbwcContacts implements QbwcAccounts {
  constructor(
    private readonly db: Database,
    private readonly credentials: CredentialStore,
  ) {}

  /** A new login for the integration (connect): the password replaces any earlier one. */
  async create(integrationId: string, userName: string, password: string): Promise<void> {
    await this.db
      .insert(qbwcContacts)
      .values({ integrationId, userName })
      .onConflictDoUpdate({ target: qbwcContacts.integrationId, set: { userName, lastAuthFailureAt: null } });
    await this.credentials.save(integrationId, { accessToken: password, refreshToken: null, accessTokenExpiresAt: null, refreshTokenExpiresAt: null, scopes: [] });
  }

  get(integrationId: string): Promise<QbwcContact | null> {
    return loadQbwcContact(this.db, integrationId);
  }

  async findByUserName(userName: string): Promise<QbwcAccount | null> {
    const [row] = await this.db
      .select({ integrationId: qbwcContacts.integrationId, userName: qbwcContacts.userName })
      .from(qbwcContacts)
      .innerJoin(integrations, eq(integrations.id, qbwcContacts.integrationId))
      .where(eq(qbwcContacts.userName, userName));
    return row ?? null;
  }

  async verifyPassword(account: QbwcAccount, password: string): Promise<boolean> {
    const { credentials } = await this.credentials.load(account.integrationId);
    if (!credentials) return false;
    const expected = Buffer.from(credentials.accessToken, 'utf8');
    const actual = Buffer.from(password, 'utf8');
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  /** Remembers what a Web Connector visit said (no password, no qbXML). */
  async record(event: QbwcSessionEvent): Promise<void> {
    const now = new Date();
    switch (event.kind) {
      case 'authenticated':
        await this.update(event.integrationId, { lastAuthenticatedAt: now, lastAuthFailureAt: null });
        return;
      case 'authentication-failed': {
        const account = await this.findByUserName(event.userName);
        if (account) await this.update(account.integrationId, { lastAuthFailureAt: now });
        return;
      }
      case 'company-opened':
        await this.update(event.integrationId, {
          lastCompanyOpenedAt: now,
          companyFile: event.companyFile,
          lastConnectionErrorAt: null,
          lastConnectionErrorHresult: null,
          lastConnectionErrorMessage: null,
        });
        return;
      case 'connection-error':
        await this.update(event.integrationId, { lastConnectionErrorAt: now, lastConnectionErrorHresult: event.hresult, lastConnectionErrorMessage: event.message });
        return;
      default:
        return;
    }
  }

  private async update(integrationId: string, set: Partial<QbwcContact>): Promise<void> {
    await this.db.update(qbwcContacts).set(set).where(eq(qbwcContacts.integrationId, integrationId));
  }
}
