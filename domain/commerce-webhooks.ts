/**
 * The subscriptions a shop needs so that its orders reach us. Kept by the platform behind CommercePlatform;
 * connect, the health check and delete only call these.
 */
export interface WebhookTopicState {
  /** The platform's name for it: "orders/create". */
  topic: string;
  /** ok: already right; created: was missing; replaced: pointed elsewhere; failed: could not be made right. */
  state: 'ok' | 'created' | 'replaced' | 'failed';
  /** Plain words for a bookkeeper when not ok. */
  message: string | null;
}

export interface WebhookRepair {
  /** Where the platform now sends them. */
  address: string;
  topics: WebhookTopicState[];
}

export interface CommerceWebhooks {
  /** Makes every topic we need point at `publicBaseUrl`'s webhook address, repairing what is missing or wrong. */
  ensure(publicBaseUrl: string): Promise<WebhookRepair>;
  /** Removes our subscriptions (on delete). Returns how many were removed. */
  remove(): Promise<number>;
}
