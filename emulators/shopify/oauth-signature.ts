import { createHmac } from 'node:crypto';

/**
 * Shopify's OAuth callback signature: drop `hmac`/`signature`, sort the rest by key, form-encode them
 * (URLSearchParams) and hex-encode HMAC-SHA256 with the app's client secret.
 */
export function signCallbackQuery(params: Record<string, string>, clientSecret: string): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(params).sort((a, b) => a.localeCompare(b))) {
    if (key === 'hmac' || key === 'signature') continue;
    query.append(key, params[key] ?? '');
  }
  return createHmac('sha256', clientSecret).update(query.toString()).digest('hex');
}
