import type { RouteOption } from './platform.js';

/** What each account option is for, in the ledger's own words ("Other Current Asset or Bank", "BANK account"). */
export interface PayoutAccountDescriptions {
  clearingAccount: string;
  payoutBankAccount: string;
  payoutFeeAccount: string;
}

/** QuickBooks (Online and Desktop): sales receipts deposit to the clearing account; a payout is a deposit. */
export const QUICKBOOKS_PAYOUT_ACCOUNTS: PayoutAccountDescriptions = {
  clearingAccount: 'the account sales receipts deposit to, cleared by each payout ("Shopify Clearing", Other Current Asset or Bank); "" = Undeposited Funds',
  payoutBankAccount: 'the bank account payouts are deposited to ("Checking")',
  payoutFeeAccount: 'the expense account for payment processing fees ("Shopify Fees")',
};

/**
 * Where a route's money goes, by account name: the clearing account sales are paid into, the bank account payouts
 * reach, the fee and adjustment accounts. Unset (""), sales go where they went before and payouts wait for the
 * accounts to be chosen. Checked on save for length only; the ledger checks the name when it books.
 */
export function payoutAccountOptions(accountNameMax: number, describe: PayoutAccountDescriptions): readonly RouteOption[] {
  const freeText = { maxLength: accountNameMax };
  return [
    { name: 'clearingAccount', allowedValues: [], freeText, description: describe.clearingAccount, defaultValue: '' },
    { name: 'payoutBankAccount', allowedValues: [], freeText, description: describe.payoutBankAccount, defaultValue: '' },
    { name: 'payoutFeeAccount', allowedValues: [], freeText, description: describe.payoutFeeAccount, defaultValue: '' },
    { name: 'payoutAdjustmentAccount', allowedValues: [], freeText, description: 'the account for adjustments and chargebacks in payouts; "" = the fee account', defaultValue: '' },
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
