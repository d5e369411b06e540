import { ApiVersion } from '@shopify/shopify-api';

/** The one Admin API version ledgerbridge speaks; change it here and nowhere else. */
export const SHOPIFY_API_VERSION = ApiVersion.January26;
