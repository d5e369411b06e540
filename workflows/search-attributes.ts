import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Search attributes operators filter on in the Temporal UI, e.g.
 * `SyncState = "waiting_for_reconnect" AND IntegrationIds = "qbo-1"`. Registered at start-up
 * (scripts/search-attribute-registration.ts) and by the test server's flags.
 */
export const RouteIdKey = defineSearchAttributeKey('RouteId', SearchAttributeType.KEYWORD);
export const IntegrationIdsKey = defineSearchAttributeKey('IntegrationIds', SearchAttributeType.KEYWORD_LIST);
export const OrderIdKey = defineSearchAttributeKey('OrderId', SearchAttributeType.KEYWORD);
export const SyncStateKey = defineSearchAttributeKey('SyncState', SearchAttributeType.KEYWORD);
export const SyncErrorCodeKey = defineSearchAttributeKey('SyncErrorCode', SearchAttributeType.KEYWORD);
export const IntegrationStatusKey = defineSearchAttributeKey('IntegrationStatus', SearchAttributeType.KEYWORD);

export const allSearchAttributeKeys = [RouteIdKey, IntegrationIdsKey, OrderIdKey, SyncStateKey, SyncErrorCodeKey, IntegrationStatusKey];
