import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payoutSyncWorkflowId, startPayoutSync } from '../runtime/payout-sync-starter.js';
import { payoutSteps } from './support/payout-steps.js';
import { depositLines, depositsOfPayout, inPoundsToo, POUND_BANK, qbdPayoutTestCompany } from './support/qbd-test-company.js';
import { SyncHarness } from './support/sync-harness.js';

/**
 * A pound shop's payouts into a QuickBooks Desktop company in dollars with Multiple Currencies on. A deposit is in
 * the currency of the bank account it goes to (QuickBooks' help [S]): a payout of pounds deposited to a dollar account
 * would book pounds as dollars (or at a rate nobody chose). So a payout books only into a bank account in its own
 * currency, naming that currency on the deposit (`CurrencyRef`); otherwise it waits naming the bank account and its
 * currency, and goes on by itself once the route's `payoutBankAccount` names an account in the payout's currency.
 */
describe('payouts in pounds into a dollar QuickBooks Desktop company with multiple currencies on', () => {
  let harness: SyncHarness;
  const { payoutResult, payoutRow, syncUntil } = payoutSteps(() => harness, { ordersRecheckMs: 3_600_000, recheckWaitingMs: 3_600_000, recheckFailedMs: 3_600_000 });

  beforeAll(async () => {
    const qbd = inPoundsToo(qbdPayoutTestCompany());
    harness = await SyncHarness.start({ shopCurrency: 'GBP', qbd: { ...qbd, company: { ...qbd.company, exchangeRates: { GBP: '1.25' } } } });
    harness.qbd!.connector.start();
    const chosen = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, {
      ledgerOptions: { clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'Shopify Fees' },
    });
    expect(chosen.status, JSON.stringify(chosen.body)).toBe(200);
  }, 300_000);
  afterAll(async () => {
    await harness?.close();
  });

  const company = () => harness.qbd!.company.company;
  /** The DepositAdd requests the company was sent for the payout (its Memo names it). */
  const depositAddsOf = (payoutId: string) => harness.qbd!.company.requestSets.filter((set) => set.includes('<DepositAddRq') && set.includes(`payout ${payoutId},`));
  const mugs = (name: string, paid?: { currency: string; rate: number }) =>
    harness.shopify.control.createOrder({
      name,
      currency: 'GBP',
      ...(paid ? { presentmentCurrency: paid.currency, presentmentRate: paid.rate } : {}),
      customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 5, unitPrice: '8.00', taxable: false, taxLines: [] }],
    });
  const waitingPayout = async (payoutId: string) => {
    const row = await syncUntil(payoutId, 'waiting');
    expect(row.lastError.code).toBe('LedgerSettingMissing');
    return row;
  };
  const chooseBank = async (name: string) => {
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { payoutBankAccount: name } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
  };

  let poundPayout = '';

  it('a payout of pounds waits while the route deposits to a dollar account, naming both currencies and the setting; nothing is deposited', async () => {
    const order = mugs('#9701');
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect(company().salesReceipts.find((r) => r.refNumber === '9701')).toMatchObject({ totalAmount: '40.00', depositTo: { fullName: 'Shopify Clearing' }, currency: { fullName: 'British Pound' } });

    const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '40.00', fee: '1.20', orderId: order.id }] });
    poundPayout = payout.id;
    const waiting = await waitingPayout(payout.id);
    expect(waiting.lastError).toEqual({
      code: 'LedgerSettingMissing',
      message:
        `Payout ${payout.id} is in GBP (38.80 GBP), but the bank account chosen for this route's payouts in QuickBooks Desktop #1, "Checking", is in USD: ` +
        `a deposit is in its bank account's currency, so nothing was booked. Choose a bank account in GBP for the route's payouts ` +
        `(PUT /routes/<route>/ledger-options {"payoutBankAccount": "<account name>"}; create one in QuickBooks Desktop with the currency GBP if there is none), and the payout goes on by itself.`,
    });
    expect(waiting.waitingOn).toBe('route-option:payoutBankAccount');
    expect(company().deposits).toEqual([]);
    expect(depositAddsOf(payout.id)).toEqual([]);
    // Nothing pulled the route's hard stop.
    expect((await harness.operator('GET', `/routes/${harness.routeId}/halt`)).body.halted).toBe(false);
  });

  it('pointed at a bank account in pounds, the waiting payout books once by itself: one deposit in pounds with its lines', async () => {
    await chooseBank(POUND_BANK);
    expect((await payoutResult(poundPayout)).outcome).toBe('created');
    const [deposit, ...others] = depositsOfPayout(company(), poundPayout);
    expect(others).toEqual([]);
    expect(deposit).toMatchObject({ depositTo: { fullName: 'Barclays GBP' }, depositTotal: '38.80', currency: { code: 'GBP', fullName: 'British Pound' } });
    expect(depositLines(deposit!)).toEqual([['Order #9701: payment', '40.00', 'Shopify Clearing']]);
    expect(deposit!.cashBack).toMatchObject({ amount: '1.20', account: { fullName: 'Shopify Fees' } });
    // The pounds were named on the deposit, and no rate was made up: QuickBooks takes its currency list's.
    const [sent] = depositAddsOf(poundPayout);
    expect(sent).toMatch(/<CurrencyRef><ListID>[^<]+<\/ListID><\/CurrencyRef>/);
    expect(sent).not.toContain('<ExchangeRate>');
    expect(deposit!.currency?.exchangeRate).toBe('1.25');
    expect(await payoutRow(poundPayout)).toMatchObject({ status: 'synced', net: '38.80', currency: 'GBP' });

    await startPayoutSync(harness.client, harness.db, harness.taskQueue, { routeId: harness.routeId, payoutId: poundPayout });
    expect((await payoutResult(poundPayout)).outcome).toBe('already_synced');
    expect(depositsOfPayout(company(), poundPayout)).toHaveLength(1);
  });

  it('a payout in the home currency waits while the route deposits to the pound account, and books in dollars into a dollar one', async () => {
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { saleCurrency: 'presentment' } });
    expect(set.status).toBe(200);
    // Paid in dollars and booked in them ($50.00 at the shop's 1.25): a dollar payout clears it.
    const order = mugs('#9702', { currency: 'USD', rate: 1.25 });
    expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
    expect(company().salesReceipts.find((r) => r.refNumber === '9702')).toMatchObject({ totalAmount: '50.00', currency: { fullName: 'US Dollar' } });

    const payout = harness.shopify.control.createPayout({ currency: 'USD', transactions: [{ type: 'CHARGE', amount: '50.00', fee: '1.50', orderId: order.id }] });
    const waiting = await waitingPayout(payout.id);
    expect(waiting.lastError.message).toContain(`Payout ${payout.id} is in USD (48.50 USD), but the bank account chosen for this route's payouts in QuickBooks Desktop #1, "Barclays GBP", is in GBP`);
    expect(depositsOfPayout(company(), payout.id)).toEqual([]);

    await chooseBank('Checking');
    expect((await payoutResult(payout.id)).outcome).toBe('created');
    expect(depositsOfPayout(company(), payout.id)).toMatchObject([{ depositTo: { fullName: 'Checking' }, depositTotal: '48.50', currency: { code: 'USD', exchangeRate: '1', totalInHome: '48.50' } }]);
    expect(depositLines(depositsOfPayout(company(), payout.id)[0]!)).toEqual([['Order #9702: payment', '50.00', 'Shopify Clearing']]);
  });

  it('when QuickBooks keeps a pound deposit\'s fees out of a dollar account, the payout waits with its refusal and nothing is deposited', async () => {
    await chooseBank(POUND_BANK);
    const set = await harness.operator('PUT', `/routes/${harness.routeId}/ledger-options`, { ledgerOptions: { saleCurrency: 'shop' } });
    expect(set.status).toBe(200);
    harness.qbd!.company.foreignDepositCashBack = 'deposit-currency-only';
    try {
      const order = mugs('#9703');
      expect((await harness.syncResultOf(order.id)).outcome).toBe('created');
      const payout = harness.shopify.control.createPayout({ currency: 'GBP', transactions: [{ type: 'CHARGE', amount: '40.00', fee: '1.20', orderId: order.id }] });
      const refused = await syncUntil(payout.id, 'failed');
      expect(refused.lastError.code).toBe('LedgerRejected');
      expect(refused.lastError.message).toContain('The cash back account is in US Dollar, not in the currency of the deposit (British Pound).');
      expect(depositsOfPayout(company(), payout.id)).toEqual([]);
      await harness.handle(payoutSyncWorkflowId(harness.routeId, payout.id)).terminate('test over');
    } finally {
      harness.qbd!.company.foreignDepositCashBack = 'home-or-deposit-currency';
    }
  });
});
