import type { RouteOption } from '../platform.js';

/** QuickBooks Online account names are at most 100 characters (Intuit's API reference for Account.Name). */
const ACCOUNT_NAME = { maxLength: 100 } as const;

/**
 * Where a route's money goes in QuickBooks Online, by account name. Unset (""), sales go to Undeposited Funds as
 * before and payouts wait for the accounts to be chosen. Changing one applies to documents booked from then on.
 */
export const QBO_PAYOUT_ROUTE_OPTIONS: readonly RouteOption[] = [
  {
    name: 'clearingAccount',
    allowedValues: [],
    freeText: ACCOUNT_NAME,
    description: 'the account sales receipts deposit to, cleared by each payout ("Shopify Clearing", Other Current Asset or Bank); "" = Undeposited Funds',
    defaultValue: '',
  },
  { name: 'payoutBankAccount', allowedValues: [], freeText: ACCOUNT_NAME, description: 'the bank account payouts are deposited to ("Checking")', defaultValue: '' },
  { name: 'payoutFeeAccount', allowedValues: [], freeText: ACCOUNT_NAME, description: 'the expense account for payment processing fees ("Shopify Fees")', defaultValue: '' },
  {
    name: 'payoutAdjustmentAccount',
    allowedValues: [],
    freeText: ACCOUNT_NAME,
    description: 'the account for adjustments and chargebacks in payouts; "" = the fee account',
    defaultValue: '',
  },
];

/** The route's accounts by name, "" where it chose none. */
export interface QboPayoutAccountNames {
  clearingAccount: string;
  payoutBankAccount: string;
  payoutFeeAccount: string;
  payoutAdjustmentAccount: string;
}

export function payoutAccountNames(routeOptions: Readonly<Record<string, string>> | undefined): QboPayoutAccountNames {
  const of = (name: keyof QboPayoutAccountNames) => (routeOptions?.[name] ?? '').trim();
  return { clearingAccount: of('clearingAccount'), payoutBankAccount: of('payoutBankAccount'), payoutFeeAccount: of('payoutFeeAccount'), payoutAdjustmentAccount: of('payoutAdjustmentAccount') };
}
