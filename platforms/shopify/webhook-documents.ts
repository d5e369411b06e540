/** GraphQL documents that keep a shop's webhook subscriptions (validated against Shopify's schema in tests). */
export const WEBHOOK_SUBSCRIPTIONS_QUERY = `#graphql
  query LedgerbridgeWebhookSubscriptions($after: String) {
    webhookSubscriptions(first: 100, after: $after) {
      nodes { id topic uri }
      pageInfo { hasNextPage endCursor }
    }
  }`;

export const WEBHOOK_SUBSCRIPTION_CREATE = `#graphql
  mutation LedgerbridgeWebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $uri: String!) {
    webhookSubscriptionCreate(topic: $topic, webhookSubscription: { uri: $uri, format: JSON }) {
      webhookSubscription { id topic uri }
      userErrors { field message }
    }
  }`;

export const WEBHOOK_SUBSCRIPTION_DELETE = `#graphql
  mutation LedgerbridgeWebhookSubscriptionDelete($id: ID!) {
    webhookSubscriptionDelete(id: $id) {
      deletedWebhookSubscriptionId
      userErrors { field message }
    }
  }`;
