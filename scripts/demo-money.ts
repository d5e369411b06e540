// The money side of `npm start`'s demo: routes set up for payouts as a bookkeeper would, then — once the shop's first
// order is booked — one partial refund, one Shopify Payments payout and one reconciliation audit, each through the
// product's own paths (the refund's webhook, a payout poll, the audit API). Everything is looked for before it is
// made, so a kept demo (or one stopped half way) goes on without making anything twice.
import { amountsIn } from '../domain/money.js';
import type { ShopifyEmulatorControl } from '../emulators/shopify/emulator-control.js';
import type { EmulatedOrder, EmulatedRefund } from '../emulators/shopify/model.js';
import type { EmulatedPayout } from '../emulators/shopify/payouts.js';
import { orderTotals } from '../emulators/shopify/order-totals.js';

/** An operator call to the API (bearer token): its status and JSON body. */
export type OperatorCall = (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export function operatorApi(baseUrl: string, operatorToken: string): OperatorCall {
  return async (method, path, body) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${operatorToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  };
}

/** A route's payout accounts by name (README, "Payouts through a clearing account"). */
export interface PayoutAccounts {
  clearingAccount: string;
  payoutBankAccount: string;
  payoutFeeAccount: string;
}

/** The demo's routes from the shop and the accounts each books its money through (in the demo ledgers' charts). */
export const DEMO_PAYOUT_ROUTES: ReadonlyArray<{ routeId: string; accounts: PayoutAccounts }> = [
  { routeId: 'demo', accounts: { clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'Shopify Fees' } },
  { routeId: 'demo-xero', accounts: { clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Business Bank Account', payoutFeeAccount: 'Shopify Fees' } },
  { routeId: 'demo-qbd', accounts: { clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'Shopify Fees' } },
];

/**
 * Chooses each route's payout accounts through the API, as a bookkeeper would. Before the orders: a sale is paid into
 * the clearing account only if it is booked after the choice (a receipt booked before keeps Undeposited Funds).
 */
export async function choosePayoutAccounts(api: OperatorCall, routes: ReadonlyArray<{ routeId: string; accounts: PayoutAccounts }>): Promise<void> {
  for (const { routeId, accounts } of routes) {
    const chosen = await api('PUT', `/routes/${encodeURIComponent(routeId)}/ledger-options`, { ledgerOptions: accounts });
    if (chosen.status !== 200) throw new Error(`Choosing the payout accounts of route ${routeId} failed (${chosen.status}): ${JSON.stringify(chosen.body)}`);
  }
}

export interface DemoMoneyPlan {
  shop: string;
  /** The booked order refunded and paid out, e.g. "#1001". */
  orderName: string;
  /** Routes from the shop to book the refund and payout on; those without a clearing account chosen are left alone. The first is audited. */
  routeIds: readonly string[];
  /** How long to wait for the product to book each thing before saying what it is still waiting for. */
  timeoutMs?: number;
  /** How often the API is asked again while waiting. */
  pollMs?: number;
}

/** What the demo has on its money side, whether made now or found from last time: one line each, for the start-up output. */
export interface DemoMoneyReport {
  lines: string[];
  refund: EmulatedRefund | null;
  payout: EmulatedPayout | null;
  auditId: string | null;
}

/** The percentage and fixed fee the demo payout keeps (Shopify Payments' US online rate, 2.9 % + 30¢). */
const DEMO_FEE = { percent: 2.9, fixedMinor: 30 };

export async function seedDemoMoney(api: OperatorCall, shopify: ShopifyEmulatorControl, plan: DemoMoneyPlan): Promise<DemoMoneyReport> {
  const report: DemoMoneyReport = { lines: [], refund: null, payout: null, auditId: null };
  const order = shopify.orders(plan.shop).find((o) => o.name === plan.orderName);
  const routes = await routesWithClearing(api, plan.routeIds);
  if (!order || routes.length === 0) {
    report.lines.push(`No refund, payout or audit in this demo: it was made before the demo had them (npm start -- --fresh starts over with them).`);
    return report;
  }
  const wait = waiter(plan.timeoutMs ?? 180_000, plan.pollMs ?? 250);
  const routePath = (routeId: string) => `/routes/${encodeURIComponent(routeId)}`;

  // The sale first: a refund or payout of an order not booked yet would only wait for it.
  await Promise.all(
    routes.map((routeId) =>
      wait(`${order.name} to be booked on ${routeId}`, async () => {
        const { body } = await api('GET', `${routePath(routeId)}/orders?limit=1000`);
        const row = body?.orders?.find((o: any) => o.orderId === order.id);
        return row?.status === 'synced' ? row : { pending: row?.lastError?.message ?? row?.status ?? 'not seen yet' };
      }),
    ),
  );

  const madeRefund = !order.refunds?.length;
  const refund = order.refunds?.[0] ?? refundOneUnit(shopify, plan.shop, order);
  report.refund = refund;
  const refundRows = await Promise.all(
    routes.map((routeId) =>
      wait(`refund ${refund.id} of ${order.name} to be booked on ${routeId}`, async () => {
        const { body } = await api('GET', `${routePath(routeId)}/orders/${order.id}/refunds`);
        const row = body?.refunds?.find((r: any) => r.refundId === refund.id);
        return row?.status === 'synced' ? row : { pending: row?.lastError?.message ?? row?.status ?? 'not seen yet' };
      }),
    ),
  );
  const refunded = refund.lines.map((line) => `${line.quantity} × ${order.lineItems.find((l) => l.id === line.lineItemId)?.title ?? 'item'}`).join(', ');
  report.lines.push(
    `${madeRefund ? 'Refunded' : 'Kept the refund of'} ${refund.total} ${order.currency} of ${order.name} (${refunded}) in the shop; its refunds/create webhook booked it: ` +
      routes.map((routeId, i) => `${refundRows[i].ledgerDocNumber} on ${routeId}`).join(', ') + '.',
  );

  const existing = shopify.payouts(plan.shop).find((p) => p.transactions.some((t) => t.orderId === order.id));
  const payout = existing ?? payOut(shopify, plan.shop, order, refund);
  report.payout = payout;
  const payoutRows = await Promise.all(
    routes.map(async (routeId) => {
      const rowOf = async () => ((await api('GET', `${routePath(routeId)}/payouts`)).body?.payouts ?? []).find((p: any) => p.payoutId === payout.id);
      // Shopify sends no webhook for payouts: a poll finds it (as the route's schedule would within 6 hours).
      if ((await rowOf())?.status !== 'synced') {
        const poll = await api('POST', `${routePath(routeId)}/payouts/poll`, {});
        if (poll.status !== 202) throw new Error(`The payout poll of route ${routeId} was refused (${poll.status}): ${JSON.stringify(poll.body)}`);
      }
      return wait(`payout ${payout.id} to be deposited on ${routeId}`, async () => {
        const row = await rowOf();
        return row?.status === 'synced' ? row : { pending: row?.lastError?.message ?? row?.status ?? 'not seen yet' };
      });
    }),
  );
  const money = amountsIn(payout.currency);
  const sum = (type: string) => money.amount(Math.abs(payout.transactions.filter((t) => t.type === type).reduce((total, t) => total + money.minor(t.amount), 0)));
  const fees = money.amount(payout.transactions.reduce((total, t) => total + money.minor(t.fee), 0));
  report.lines.push(
    `${existing ? 'Kept' : 'Issued'} Shopify Payments payout ${payout.id}: ${sum('CHARGE')} charged − ${sum('REFUND')} refunded − ${fees} fees = ` +
      `${payoutRows[0].net} ${payout.currency}; a payout poll booked it as one deposit each, clearing ${order.name} to zero: ` +
      routes.map((routeId, i) => `${payoutRows[i].ledgerDocNumber} on ${routeId}`).join(', ') + '.',
  );

  const audited = routes[0]!;
  const audits = (await api('GET', `${routePath(audited)}/audits`)).body?.audits ?? [];
  let audit = audits.find((a: any) => a.trigger === 'on_demand');
  const madeAudit = !audit;
  if (!audit) {
    const range = { from: order.createdAt.slice(0, 10), to: new Date().toISOString().slice(0, 10) };
    const started = await api('POST', `${routePath(audited)}/audits`, range);
    if (started.status !== 202) throw new Error(`The audit of route ${audited} was refused (${started.status}): ${JSON.stringify(started.body)}`);
    audit = started.body;
  }
  const done = await wait(`audit ${audit.auditId} of ${audited} to finish`, async () => {
    const { body } = await api('GET', `${routePath(audited)}/audits/${encodeURIComponent(audit.auditId)}`);
    return body?.status !== 'running' ? body : { pending: 'running' };
  });
  report.auditId = done.auditId;
  const findings = Object.entries((done.summary ?? {}) as Record<string, number>).filter(([, count]) => count > 0);
  report.lines.push(
    `${madeAudit ? 'Audited' : 'Kept the audit of'} route ${audited} for ${done.from}…${done.to}: ${done.status}` +
      (done.status === 'done' ? `, ${findings.length ? findings.map(([kind, count]) => `${count} ${kind}`).join(', ') : 'nothing to fix'}` : ` (${done.error})`) +
      (done.report?.payouts?.checked ? ', payouts compared with their deposits' : '') +
      `; its report: /console/routes/${audited}/audits.`,
  );
  return report;
}

/** The routes among `routeIds` whose ledger options name a clearing account (a demo made before they did has none). */
async function routesWithClearing(api: OperatorCall, routeIds: readonly string[]): Promise<string[]> {
  const { body } = await api('GET', '/routes');
  const routes: Array<{ id: string; ledgerOptions: Record<string, string> }> = body?.routes ?? [];
  return routeIds.filter((id) => routes.find((r) => r.id === id)?.ledgerOptions.clearingAccount);
}

/** The merchant gives back one unit of the order's last line (its share of discount and tax), restocked. */
function refundOneUnit(shopify: ShopifyEmulatorControl, shop: string, order: EmulatedOrder): EmulatedRefund {
  const line = order.lineItems.at(-1)!;
  return shopify.refundOrder(order.id, { shop, lines: [{ lineItemId: line.id, quantity: 1, restockType: 'RETURN' }], note: 'Returned by the customer' });
}

/** A paid payout of the order's charge (less the processing fee) and its refund: what the bank receives. */
function payOut(shopify: ShopifyEmulatorControl, shop: string, order: EmulatedOrder, refund: EmulatedRefund): EmulatedPayout {
  const money = amountsIn(order.currency);
  const charged = money.minor(orderTotals(order).total);
  const fee = Math.round((charged * DEMO_FEE.percent) / 100) + DEMO_FEE.fixedMinor;
  return shopify.createPayout({
    shop,
    currency: order.currency,
    transactions: [
      { type: 'CHARGE', amount: money.amount(charged), fee: money.amount(fee), orderId: order.id },
      { type: 'REFUND', amount: money.amount(-money.minor(refund.total)), orderId: order.id },
    ],
  });
}

/**
 * Waits on the product's own state: `check` answers the thing awaited, or `{ pending }` saying what it shows so far.
 * All waits of one seeding share one deadline; past it, the error names what was awaited and what was seen last.
 */
function waiter(timeoutMs: number, pollMs: number) {
  const deadline = Date.now() + timeoutMs;
  return async <T>(what: string, check: () => Promise<T | { pending: string }>): Promise<T> => {
    for (;;) {
      const seen = await check();
      if (!(seen && typeof seen === 'object' && 'pending' in seen)) return seen as T;
      if (Date.now() > deadline) throw new Error(`Still waiting for ${what} (${seen.pending}).`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };
}
