import type { SquarespaceWebhookCheck } from '../platforms/squarespace/index.js';

/**
 * Checks a Squarespace notification: the subscription it names → the secret we keep for it → Squarespace-Signature
 * over the raw body (platforms/squarespace). A dependency of the API, so tests and processes plug the platform in.
 */
export type VerifySquarespaceWebhook = (rawBody: string, headers: Record<string, string | string[] | undefined>) => Promise<SquarespaceWebhookCheck>;
