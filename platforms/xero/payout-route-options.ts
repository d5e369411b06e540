import { payoutAccountOptions } from '../payout-account-options.js';

/** Xero account names are at most 150 characters (xero-node Account.name: "max length = 150"). */
const ACCOUNT_NAME_MAX = 150;

/**
 * Where a route's money goes in Xero, by account name. Unset (""), sales are paid into the deployment's payment
 * account as before and payouts wait for the accounts to be chosen. Changing one applies to documents booked from
 * then on.
 */
export const XERO_PAYOUT_ROUTE_OPTIONS = payoutAccountOptions(ACCOUNT_NAME_MAX, {
  clearingAccount: 'the bank account sales are paid into, cleared by the bank transfer of each payout ("Shopify Clearing", a Xero bank account); "" = the payment account',
  payoutBankAccount: 'the bank account payouts are transferred to ("Business Bank Account")',
  payoutFeeAccount: 'the expense account for payment processing fees ("Shopify Fees"), spent from the clearing account',
});
