import type { QbdCompanySeed, QbdDeposit } from '../../emulators/qbd/company-data.js';
import type { QbdCompany } from '../../emulators/qbd/company.js';
import type { SyncHarnessOptions } from './sync-harness.js';

/**
 * The currency of a shop booking into the company below: its home currency (a US edition's, dollars), as a shop in
 * another currency would have its orders wait while Multiple Currencies is off (SyncHarness option `shopCurrency`).
 */
export const QBD_TEST_SHOP_CURRENCY = 'USD';

/**
 * The QuickBooks Desktop company the sync suites book into ("Test Shop LLC", these items and accounts) behind a fast Web
 * Connector: it polls every 100 ms, waits 100 ms after a "NoOp" (QBWC waits 5 s [C]) and keeps a visit open 1 s
 * after its last request; a request waits 3 s for it before the order parks.
 */
export function qbdTestCompany(items: NonNullable<QbdCompanySeed['items']>, accounts: QbdCompanySeed['accounts'] = []): NonNullable<SyncHarnessOptions['qbd']> {
  return {
    company: { companyName: 'Test Shop LLC', companyFilePath: 'C:\\Company\\test.qbw', items, accounts },
    requestWaitMs: 3_000,
    pollIntervalMs: 100,
    noOpDelayMs: 100,
    sessionLingerMs: 1_000,
  };
}

/** The company the refund suites book into: shirts, mugs and shipping. */
export function qbdRefundTestCompany(): NonNullable<SyncHarnessOptions['qbd']> {
  return qbdTestCompany([
    { name: 'MUG-1', price: '8.00', description: 'Mug' },
    { name: 'TS-RED-M', price: '20.00', description: 'Red T-shirt' },
    { name: 'Shipping', price: '0.00' },
  ]);
}

/**
 * The same company with Multiple Currencies on, for a route from the pound shop that also books into Xero's pound
 * organisation: the shop's pounds then book in pounds under customers in pounds (off, they would wait), and its
 * payouts deposit to a bank account in pounds, "Barclays GBP" (a deposit is in its bank account's currency).
 */
export function inPoundsToo(qbd: ReturnType<typeof qbdTestCompany>): ReturnType<typeof qbdTestCompany> {
  return { ...qbd, company: { ...qbd.company, multiCurrencyOn: true, accounts: [...(qbd.company.accounts ?? []), { name: POUND_BANK, type: 'Bank', currency: 'GBP' }] } };
}

/** The bank account in pounds of a company `inPoundsToo`. */
export const POUND_BANK = 'Barclays GBP';

/** The company the payout suites book into: mugs and shipping, a bank, a clearing account and a fees account. */
export function qbdPayoutTestCompany(): NonNullable<SyncHarnessOptions['qbd']> {
  return qbdTestCompany(
    [
      { name: 'MUG-1', price: '8.00', description: 'Mug' },
      { name: 'Shipping', price: '0.00' },
    ],
    [
      { name: 'Checking', type: 'Bank' },
      { name: 'Shopify Clearing', type: 'OtherCurrentAsset' },
      { name: 'Shopify Fees', type: 'Expense' },
    ],
  );
}

/** The deposits of a payout of "Shopify #1" in the company: their Memo's first line names it. */
export function depositsOfPayout(company: QbdCompany, payoutId: string): QbdDeposit[] {
  return company.deposits.filter((d) => d.memo?.startsWith(`Shopify #1 payout ${payoutId},`));
}

/** A deposit's lines as [memo, amount, account], as the payout tests compare them. */
export function depositLines(deposit: QbdDeposit): Array<[string | undefined, string, string]> {
  return deposit.lines.map((l) => [l.memo, l.amount, l.account.fullName]);
}
