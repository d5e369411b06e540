import type { ApiVersion } from '@shopify/shopify-api';

/**
 * The one Admin API version ledgerbridge speaks; change it here and nowhere else. 2026-10 is newer than the
 * SDK's ApiVersion enum (which ends at 2026-07), hence the cast; the SDK sends whatever string it is given.
 */
export const SHOPIFY_API_VERSION = '2026-10' as ApiVersion;
