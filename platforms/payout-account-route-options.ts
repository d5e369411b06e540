import type { RouteOption } from './platform.js';

/**
 * Where a route's money goes in a QuickBooks ledger (Online or Desktop), by account name. Unset (""), sales go to
 * Undeposited Funds as before and payouts wait for the accounts to be chosen. Changing one applies to documents
 * booked from then on. `maxLength`: the longest account name the ledger takes, checked when the route is saved.
 */
export function payoutAccountRouteOptions(maxLength: number): readonly RouteOption[] {
  const freeText = { maxLength };
  return [
    {
      name: 'clearingAccount',
      allowedValues: [],
      freeText,
      description: 'the account sales receipts deposit to, cleared by each payout ("Shopify Clearing", Other Current Asset or Bank); "" = Undeposited Funds',
      defaultValue: '',
    },
    { name: 'payoutBankAccount', allowedValues: [], freeText, description: 'the bank account payouts are deposited to ("Checking")', defaultValue: '' },
    { name: 'payoutFeeAccount', allowedValues: [], freeText, description: 'the expense account for payment processing fees ("Shopify Fees")', defaultValue: '' },
    {
      name: 'payoutAdjustmentAccount',
      allowedValues: [],
      freeText,
      description: 'the account for adjustments and chargebacks in payouts; "" = the fee account',
      defaultValue: '',
    },
  ];
}

/** The route's accounts by name, "" where it chose none. */
export interface PayoutAccountNames {
  clearingAccount: string;
  payoutBankAccount: string;
  payoutFeeAccount: string;
  payoutAdjustmentAccount: string;
}

export function payoutAccountNames(routeOptions: Readonly<Record<string, string>> | undefined): PayoutAccountNames {
  const of = (name: keyof PayoutAccountNames) => (routeOptions?.[name] ?? '').trim();
  return { clearingAccount: of('clearingAccount'), payoutBankAccount: of('payoutBankAccount'), payoutFeeAccount: of('payoutFeeAccount'), payoutAdjustmentAccount: of('payoutAdjustmentAccount') };
}
