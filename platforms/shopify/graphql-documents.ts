import { CONNECTION_PROBE_QUERY, ORDER_LINE_ITEMS_QUERY, ORDER_QUERY } from './order-query.js';
import { ORDER_REFUND_IDS_QUERY, REFUND_QUERY } from './refund-query.js';
import { WEBHOOK_SUBSCRIPTION_CREATE, WEBHOOK_SUBSCRIPTION_DELETE, WEBHOOK_SUBSCRIPTIONS_QUERY } from './webhook-documents.js';

/** Every query and mutation ledgerbridge sends to Shopify, by name: a test validates each against Shopify's schema. */
export const SHOPIFY_GRAPHQL_DOCUMENTS: Record<string, string> = {
  ORDER_QUERY,
  ORDER_LINE_ITEMS_QUERY,
  ORDER_REFUND_IDS_QUERY,
  REFUND_QUERY,
  CONNECTION_PROBE_QUERY,
  WEBHOOK_SUBSCRIPTIONS_QUERY,
  WEBHOOK_SUBSCRIPTION_CREATE,
  WEBHOOK_SUBSCRIPTION_DELETE,
};
