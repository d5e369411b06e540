import type { Database } from '../db/database.js';
import { truncatedFields } from '../db/schema.js';
import { truncateForLedger } from '../domain/text-limit.js';

/** Fits text to a ledger limit and keeps the full text in our database when it had to cut. */
export class FieldTruncator {
  constructor(
    private readonly db: Database,
    private readonly routeId: string,
    private readonly orderId: string,
  ) {}

  async fit(field: string, text: string, limit: number): Promise<string> {
    const { value, truncated } = truncateForLedger(text, limit);
    if (truncated) {
      await this.db
        .insert(truncatedFields)
        .values({ routeId: this.routeId, orderId: this.orderId, field, fullText: text, limit })
        .onConflictDoUpdate({ target: [truncatedFields.routeId, truncatedFields.orderId, truncatedFields.field], set: { fullText: text, limit } });
    }
    return value;
  }
}
