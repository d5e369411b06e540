import { eq, inArray } from 'drizzle-orm';
import { subscriptionSecretContext, type SecretBox } from '../../db/credential-store.js';
import type { Database } from '../../db/database.js';
import { squarespaceWebhookSubscriptions } from '../../db/schema.js';

export interface KnownSubscription {
  subscriptionId: string;
  integrationId: string;
  websiteId: string;
}

/**
 * The secrets of the subscriptions we created. Squarespace shows a secret only in the answer that creates a
 * subscription or rotates its secret [C], so it is kept here, sealed like credentials.
 */
export class SubscriptionSecrets {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
  ) {}

  async save(entry: KnownSubscription, secret: string): Promise<void> {
    const sealed = this.box.encrypt(secret, subscriptionSecretContext(entry.subscriptionId));
    await this.db
      .insert(squarespaceWebhookSubscriptions)
      .values({ ...entry, secret: sealed })
      .onConflictDoUpdate({ target: squarespaceWebhookSubscriptions.subscriptionId, set: { secret: sealed, integrationId: entry.integrationId, websiteId: entry.websiteId } });
  }

  async ofIntegration(integrationId: string): Promise<KnownSubscription[]> {
    return this.db
      .select({ subscriptionId: squarespaceWebhookSubscriptions.subscriptionId, integrationId: squarespaceWebhookSubscriptions.integrationId, websiteId: squarespaceWebhookSubscriptions.websiteId })
      .from(squarespaceWebhookSubscriptions)
      .where(eq(squarespaceWebhookSubscriptions.integrationId, integrationId));
  }

  /** Which of these subscriptions any integration of ours created. */
  async known(subscriptionIds: string[]): Promise<Set<string>> {
    if (subscriptionIds.length === 0) return new Set();
    const rows = await this.db
      .select({ id: squarespaceWebhookSubscriptions.subscriptionId })
      .from(squarespaceWebhookSubscriptions)
      .where(inArray(squarespaceWebhookSubscriptions.subscriptionId, subscriptionIds));
    return new Set(rows.map((row) => row.id));
  }

  async find(subscriptionId: string): Promise<(KnownSubscription & { secret: string }) | null> {
    const [row] = await this.db.select().from(squarespaceWebhookSubscriptions).where(eq(squarespaceWebhookSubscriptions.subscriptionId, subscriptionId));
    if (!row) return null;
    return { subscriptionId: row.subscriptionId, integrationId: row.integrationId, websiteId: row.websiteId, secret: this.box.decrypt(row.secret, subscriptionSecretContext(row.subscriptionId)) };
  }

  async forget(subscriptionIds: string[]): Promise<void> {
    if (subscriptionIds.length > 0) await this.db.delete(squarespaceWebhookSubscriptions).where(inArray(squarespaceWebhookSubscriptions.subscriptionId, subscriptionIds));
  }
}
