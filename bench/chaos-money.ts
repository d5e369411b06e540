// The money side of `npm run chaos`: refunds of some of the backlog's orders and Shopify Payments payouts over the
// booked ones, polled by the product's own payout poll, then the exactly-once and clearing checks. chaos.ts owns the
// processes and the faults; this module owns what the shop does with money and what the ledger must show for it.
import type { EmulatedOrder } from '../emulators/shopify/model.js';
import type { EmulatedPlatforms } from '../test/support/emulated-platforms.js';
import { seededRandom } from './seeded-random.js';

export type RefundKind = 'amount only' | 'line restocked' | 'lines not restocked';

/** One order of the backlog as the shop sells it: three mugs at 8.00, no tax (24.00). */
export const CHAOS_ORDER_LINE = { title: 'Mug', sku: 'MUG-1', quantity: 3, unitPrice: '8.00' };
const ORDER_TOTAL_CENTS = 2_400;
const PAYOUT_MAX_ORDERS = 8;

interface PlannedRefund {
  kind: RefundKind;
  /** ms after the order is created; null: only once the order's charge is in a payout (its refund comes in a later one). */
  delayMs: number | null;
}

interface OrderState {
  order: EmulatedOrder;
  createdAt: number;
  refund: PlannedRefund | null;
  refundId: string | null;
  refundCents: number;
  chargedIn: string | null;
  refundPaidIn: string | null;
}

interface SyncRow {
  status: string;
  lastError: { code: string; message: string } | null;
}

export interface MoneyCheck {
  lines: string[];
  failures: string[];
}

const cents = (amount: string) => Math.round(Number(amount) * 100);
const money = (value: number) => (value / 100).toFixed(2);

/**
 * Plays the shop's money over the chaos run. Refunds are planned from their own PRNG (seeded from the run's seed) so
 * the fault schedule of a seed stays the one it was before refunds existed.
 */
export class ChaosMoney {
  private readonly random: () => number;
  private readonly orders: OrderState[] = [];
  private readonly payouts: Array<{ id: string; orderIds: string[] }> = [];
  readonly refundEventIds: string[] = [];
  private clearingId = '';

  constructor(
    private readonly emulated: EmulatedPlatforms,
    private readonly api: { origin: string; operatorToken: string; routeId: string },
    seed: number,
    private readonly refundShare: number,
  ) {
    this.random = seededRandom(seed * 7919 + 17);
  }

  /** The operator chooses the route's payout accounts (clearing, bank, fees) through the API, as in test/payout-sync.test.ts. */
  async configurePayouts(): Promise<void> {
    const { realmId } = this.emulated;
    this.clearingId = String(this.emulated.qbo.control.addAccount(realmId, { name: 'Shopify Clearing', type: 'Other Current Asset' }).Id);
    this.emulated.qbo.control.addAccount(realmId, { name: 'Shopify Fees', type: 'Expense' });
    const chosen = await this.operator('PUT', `/routes/${this.api.routeId}/ledger-options`, {
      ledgerOptions: { clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'Shopify Fees' },
    });
    if (chosen.status !== 200) throw new Error(`choosing the payout accounts answered ${chosen.status}: ${JSON.stringify(chosen.body)}`);
  }

  /** An order of the backlog was created in the shop: a share of them gets a refund, drawn now. */
  orderCreated(order: EmulatedOrder, now: number): void {
    let refund: PlannedRefund | null = null;
    if (this.random() < this.refundShare) {
      const draw = this.random();
      const kind: RefundKind = draw < 0.4 ? 'amount only' : draw < 0.7 ? 'line restocked' : 'lines not restocked';
      refund = { kind, delayMs: this.random() < 0.3 ? null : 500 + this.random() * 8_000 };
    }
    this.orders.push({ order, createdAt: now, refund, refundId: null, refundCents: 0, chargedIn: null, refundPaidIn: null });
  }

  /** Creates the refunds that are due (partial: an amount, one mug returned and restocked, or two not restocked). */
  refundsDue(now: number): void {
    for (const state of this.orders) {
      const plan = state.refund;
      if (!plan || state.refundId) continue;
      const due = plan.delayMs === null ? state.chargedIn !== null : now >= state.createdAt + plan.delayMs;
      if (!due) continue;
      const lineItemId = state.order.lineItems[0]!.id;
      const input =
        plan.kind === 'amount only'
          ? { amount: (1 + Math.floor(this.random() * 900) / 100).toFixed(2), note: 'Goodwill' }
          : plan.kind === 'line restocked'
            ? { lines: [{ lineItemId, quantity: 1, restockType: 'RETURN' as const }] }
            : { lines: [{ lineItemId, quantity: 2, restockType: 'NO_RESTOCK' as const }] };
      const refund = this.emulated.shopify.control.refundOrder(state.order.id, input);
      state.refundId = refund.id;
      state.refundCents = cents(refund.total);
      const event = this.emulated.shopify.control
        .webhookEvents(this.emulated.shop)
        .findLast((e) => e.topic === 'REFUNDS_CREATE' && JSON.parse(e.body).id === Number(refund.id));
      if (event) this.refundEventIds.push(event.eventId);
    }
  }

  get refundsCreated(): number {
    return this.orders.filter((o) => o.refundId).length;
  }

  get refundsPlanned(): number {
    return this.orders.filter((o) => o.refund).length;
  }

  /**
   * Issues a payout over what the product has booked and not been paid out yet (charges with their fees, and refunds
   * paid back), then asks the product to poll. A payout only takes what is booked: Shopify pays out whatever it holds,
   * but a payout over an order not booked yet waits (README: its re-check is 5 minutes), which would only slow the run.
   * Tolerates the API being down (a SIGKILL): the next round asks again.
   */
  async payoutRound(final: boolean): Promise<void> {
    let booked: { orders: Set<string>; refunds: Set<string> };
    try {
      booked = await this.bookedInProduct();
    } catch {
      return;
    }
    const transactions: Array<{ type: string; amount: string; fee?: string; orderId?: string; adjustmentReason?: string }> = [];
    const chargedNow: OrderState[] = [];
    const refundsNow: OrderState[] = [];
    for (const state of this.orders) {
      if (chargedNow.length + refundsNow.length >= PAYOUT_MAX_ORDERS) break;
      // An order waiting for its refund (to come in the same payout) is not charged yet.
      const refundFirst = state.refund && state.refund.delayMs !== null && !(state.refundId && booked.refunds.has(state.refundId));
      if (!state.chargedIn && booked.orders.has(state.order.id) && !refundFirst) {
        chargedNow.push(state);
        transactions.push({ type: 'CHARGE', amount: money(ORDER_TOTAL_CENTS), fee: money(Math.round(ORDER_TOTAL_CENTS * 0.029) + 30), orderId: state.order.id });
      }
      const charged = state.chargedIn || chargedNow.includes(state);
      if (charged && state.refundId && !state.refundPaidIn && booked.refunds.has(state.refundId)) {
        refundsNow.push(state);
        transactions.push({ type: 'REFUND', amount: money(-state.refundCents), fee: '0.00', orderId: state.order.id });
      }
    }
    if (transactions.length > 0 && (final || chargedNow.length + refundsNow.length >= 3)) {
      // Refunds alone would make a withdrawal from the bank, which the product leaves to a person (README: payouts):
      // Shopify nets them against other money of the balance, played here as a reserve released.
      const net = transactions.reduce((sum, t) => sum + cents(t.amount) - cents(t.fee ?? '0'), 0);
      if (net <= 0) transactions.push({ type: 'ADJUSTMENT', amount: money(-net + 1_000), fee: '0.00', adjustmentReason: 'Reserve released' });
      const payout = this.emulated.shopify.control.createPayout({ shop: this.emulated.shop, transactions });
      for (const state of chargedNow) state.chargedIn = payout.id;
      for (const state of refundsNow) state.refundPaidIn = payout.id;
      this.payouts.push({ id: payout.id, orderIds: [...new Set([...chargedNow, ...refundsNow].map((s) => s.order.id))] });
    }
    if (this.payouts.length > 0) await this.operator('POST', `/routes/${this.api.routeId}/payouts/poll`, {}).catch(() => undefined);
  }

  /** Everything the shop did with money is in payouts, and each payout is deposited or parked. */
  async settled(ordersExpected: number): Promise<boolean> {
    if (this.orders.length < ordersExpected || this.refundsCreated < this.refundsPlanned) return false;
    if (this.orders.some((s) => !s.chargedIn || (s.refundId && !s.refundPaidIn))) return false;
    const rows = await this.payoutRows().catch(() => null);
    if (!rows) return false;
    return this.payouts.every((p) => {
      const row = rows.get(p.id);
      return this.depositsOf(p.id).length > 0 || row?.status === 'waiting' || row?.status === 'halted' || row?.status === 'skipped';
    });
  }

  /** Refunds and deposits booked exactly once, and nothing left in clearing for the paid-out orders. */
  async check(): Promise<MoneyCheck> {
    const { control } = this.emulated.qbo;
    const realm = this.emulated.realmId;
    const refundReceipts = control.documents(realm, 'RefundReceipt').map((d) => d.record as Record<string, any>);
    const refunded = this.orders.filter((s) => s.refundId);
    const receiptsPer = refunded.map((s) => refundReceipts.filter((r) => String(r.PrivateNote ?? '').includes(`(id ${s.order.id}) refund ${s.refundId},`)).length);
    const refundDuplicates = receiptsPer.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const refundsMissing = receiptsPer.filter((n) => n === 0).length;
    const byKind = (kind: RefundKind) => refunded.filter((s) => s.refund?.kind === kind).length;
    const afterPayout = refunded.filter((s) => s.refund?.delayMs === null).length;

    const rows = await this.payoutRows().catch(() => new Map<string, SyncRow>());
    const depositsPer = this.payouts.map((p) => this.depositsOf(p.id).length);
    const depositDuplicates = depositsPer.reduce((sum, n) => sum + Math.max(0, n - 1), 0);
    const parked = this.payouts.filter((p, i) => depositsPer[i] === 0 && rows.get(p.id)?.status !== 'synced');
    const explained = parked.filter((p) => rows.get(p.id)?.lastError?.code === 'ClearingMismatch');
    const unexplained = parked.filter((p) => !explained.includes(p));
    const paidOut = this.orders.filter((s) => s.chargedIn && !parked.some((p) => p.orderIds.includes(s.order.id)));
    const clearing = paidOut.map((s) => ({ state: s, left: this.clearingLeft(s) }));
    const off = clearing.filter((c) => c.left !== 0);
    const dropped = (entity: string) => control.requestLog().filter((r) => r.outcome === 'dropped' && r.method === 'POST' && r.url.includes(`/${entity}`)).length;

    const lines = [
      `refunds created    ${refunded.length} of ${this.orders.length} orders (amount only ${byKind('amount only')}, one line restocked ${byKind('line restocked')}, two not restocked ${byKind('lines not restocked')}; ${afterPayout} after the order's payout)`,
      `refunds booked     ${receiptsPer.filter((n) => n > 0).length} / ${refunded.length} (refund receipts: ${refundReceipts.length})`,
      `refund duplicates  ${refundDuplicates}`,
      `refunds lost       ${refundsMissing}`,
      `payouts created    ${this.payouts.length} (over ${this.orders.filter((s) => s.chargedIn).length} orders)`,
      `payouts deposited  ${depositsPer.filter((n) => n > 0).length} / ${this.payouts.length} (deposits: ${control.documents(realm, 'Deposit').length})`,
      `deposit duplicates ${depositDuplicates}`,
      `payouts parked     ${explained.length} with an explained clearing difference, ${unexplained.length} for no reason`,
      `clearing left      ${money(clearing.reduce((sum, c) => sum + c.left, 0))} over ${paidOut.length} paid-out orders (${off.length} orders not at zero)`,
      `(answers dropped after the write: refund receipts ${dropped('refundreceipt')}, deposits ${dropped('deposit')})`,
    ];
    for (const p of explained) lines.push(`  parked ${p.id}: ${rows.get(p.id)!.lastError!.message}`);
    for (const p of unexplained) lines.push(`  parked for no reason ${p.id}: ${JSON.stringify(rows.get(p.id) ?? 'no row')}`);
    for (const c of off.slice(0, 10)) lines.push(`  clearing ${money(c.left)} left for ${c.state.order.name}`);
    const failures = [
      refundDuplicates > 0 && `${refundDuplicates} duplicate refund receipts`,
      refundsMissing > 0 && `${refundsMissing} refunds not booked`,
      depositDuplicates > 0 && `${depositDuplicates} duplicate deposits`,
      unexplained.length > 0 && `${unexplained.length} payouts parked for no reason`,
      off.length > 0 && `${off.length} paid-out orders leave money in clearing`,
    ].filter((f): f is string => typeof f === 'string');
    return { lines, failures };
  }

  /** What the order's sale put in clearing, less its refund receipts and what deposits took out for it. */
  private clearingLeft(state: OrderState): number {
    const { control } = this.emulated.qbo;
    const realm = this.emulated.realmId;
    const inClearing = (entity: string) =>
      control
        .documents(realm, entity)
        .map((d) => d.record as Record<string, any>)
        .filter((r) => r.DepositToAccountRef?.value === this.clearingId && String(r.PrivateNote ?? '').includes(`(id ${state.order.id})`))
        .reduce((sum, r) => sum + cents(String(r.TotalAmt)), 0);
    const takenOut = control
      .documents(realm, 'Deposit')
      .flatMap((d) => ((d.record as Record<string, any>).Line ?? []) as Array<Record<string, any>>)
      .filter((l) => l.DepositLineDetail?.AccountRef?.value === this.clearingId && String(l.Description ?? '').startsWith(`Order ${state.order.name}:`))
      .reduce((sum, l) => sum + cents(String(l.Amount)), 0);
    return inClearing('SalesReceipt') - inClearing('RefundReceipt') - takenOut;
  }

  private depositsOf(payoutId: string) {
    return this.emulated.qbo.control.documents(this.emulated.realmId, 'Deposit').filter((d) => String((d.record as Record<string, any>).PrivateNote ?? '').includes(`payout ${payoutId},`));
  }

  private async bookedInProduct(): Promise<{ orders: Set<string>; refunds: Set<string> }> {
    const route = this.api.routeId;
    const orders = await this.operator('GET', `/routes/${route}/orders?status=synced&limit=1000`);
    const refunds = await this.operator('GET', `/routes/${route}/refunds?status=synced&limit=1000`);
    if (orders.status !== 200 || refunds.status !== 200) throw new Error('the API did not list the booked orders and refunds');
    return {
      orders: new Set((orders.body.orders as Array<{ orderId: string }>).map((o) => o.orderId)),
      refunds: new Set((refunds.body.refunds as Array<{ refundId: string }>).map((r) => r.refundId)),
    };
  }

  private async payoutRows(): Promise<Map<string, SyncRow>> {
    const listed = await this.operator('GET', `/routes/${this.api.routeId}/payouts?limit=1000`);
    if (listed.status !== 200) throw new Error(`the API answered ${listed.status} for the payouts`);
    return new Map((listed.body.payouts as Array<SyncRow & { payoutId: string }>).map((p) => [p.payoutId, p]));
  }

  private async operator(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.api.origin}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.api.operatorToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }
}
