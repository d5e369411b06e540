import { payoutAccountRouteOptions, type PayoutAccountNames } from '../payout-account-route-options.js';

export { payoutAccountNames } from '../payout-account-route-options.js';

/** QuickBooks Online account names are at most 100 characters (Intuit's API reference for Account.Name). */
export const QBO_PAYOUT_ROUTE_OPTIONS = payoutAccountRouteOptions(100);

/** The route's accounts by name, "" where it chose none. */
export type QboPayoutAccountNames = PayoutAccountNames;
