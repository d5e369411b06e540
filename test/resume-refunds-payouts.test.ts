import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { skuMappings, syncRoutes } from '../db/schema.js';
import { startOrderSync } from '../runtime/order-sync-starter.js';
import { payoutSyncWorkflowId, startPayoutSync } from '../runtime/payout-sync-starter.js';
import { DEFAULT_REFUND_SYNC_TIMING } from '../workflows/refund-sync.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

/**
 * Fixing what a parked refund or payout waits on resumes it, as it resumes a parked order: a reconnect of the ledger
 * (the health workflow's resume) and a SKU mapping saved through the API. Nobody presses Retry, and the syncs'
 * re-check timers are hours away, so only the resumption explains the booking; each books once.
 */
describe('resuming parked refunds and payouts when their cause is fixed', () => {
  let h: HealthHarness;
  let routeId: string;
  let qbo: { id: string };
  const HOURS = 60 * 60_000;

  type RefundRow = { refundId: string; status: string; waitingOn: string | null };
  const refundOf = async (orderId: string, refundId: string) =>
    (await h.api('GET', `/routes/${routeId}/orders/${orderId}/refunds`)).json<{ refunds: RefundRow[] }>().refunds.find((r) => r.refundId === refundId);
  const refundReceipts = (docNumber: string) => h.qbo.control.documents(h.realmId, 'RefundReceipt').filter((d) => d.docNumber === docNumber);
  type OrderRow = { orderId: string; status: string; waitingOn: string | null };
  const orderOf = async (orderId: string) => (await h.api('GET', `/routes/${routeId}/orders?limit=1000`)).json<{ orders: OrderRow[] }>().orders.find((o) => o.orderId === orderId);

  async function bookedOrder(name: string, sku = 'MUG-1') {
    const order = h.shopify.control.createOrder({ shop: h.shop, name, lineItems: [{ title: 'Mug', sku, quantity: 3, unitPrice: '8.00' }] });
    await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: order.id, orderName: name });
    return order;
  }

  /** The ledger's grant is revoked and a check has seen it: the integration says Reconnect required. */
  async function revokeLedger() {
    h.qbo.control.revokeGrant(h.realmId);
    expect(((await h.api('POST', `/integrations/${qbo.id}/check`)).json() as { status: string }).status).toBe('reconnect_required');
  }

  beforeAll(async () => {
    h = await HealthHarness.start();
    ({ qbo, routeId } = await h.connectedShopAndLedger());
  }, 300_000);
  afterAll(async () => {
    await h?.close();
  });

  it("a refund's re-check is hours away: only a resumption books it within the test", () => {
    expect(DEFAULT_REFUND_SYNC_TIMING.recheckWaitingMs).toBeGreaterThanOrEqual(HOURS);
  });

  it('a refund parked on a revoked ledger grant books once after the reconnect, with no Retry', async () => {
    const order = await bookedOrder('#9101');
    await eventually(async () => (await orderOf(order.id))?.status === 'synced' || undefined, 'the sale to be booked');
    await revokeLedger();

    const refund = h.shopify.control.refundOrder(order.id, { shop: h.shop, lines: [{ lineItemId: order.lineItems[0]!.id, quantity: 1 }] });
    await eventually(async () => ((await refundOf(order.id, refund.id))?.status === 'waiting' ? true : undefined), 'the refund to wait for the reconnect');
    expect(await refundOf(order.id, refund.id)).toMatchObject({ waitingOn: qbo.id });
    expect(refundReceipts('9101-R1')).toEqual([]);

    await h.clickConnect(qbo.id);
    await eventually(async () => (await refundOf(order.id, refund.id))?.status === 'synced' || undefined, 'the refund to book after the reconnect');
    expect(refundReceipts('9101-R1')).toHaveLength(1);
  });

  it('a refund parked on an unmapped SKU books once after the mapping is saved through the API', async () => {
    // The sale booked through a mapping that was removed since (the bookkeeper started over): its refund finds none.
    const order = await bookedOrder('#9102', 'MUG-9102');
    await eventually(async () => ((await orderOf(order.id))?.waitingOn === 'sku:MUG-9102' ? true : undefined), 'the order to wait for its SKU');
    const mug = h.qbo.control.list(h.realmId, 'Item').find((item) => (item as { Sku?: string }).Sku === 'MUG-1')!;
    const mapTo = () => h.api('PUT', `/routes/${routeId}/sku-mappings/MUG-9102`, { ledgerItemId: String(mug.Id) });
    expect((await mapTo()).statusCode).toBe(200);
    await eventually(async () => (await orderOf(order.id))?.status === 'synced' || undefined, 'the sale to be booked');
    await h.db.delete(skuMappings).where(and(eq(skuMappings.routeId, routeId), eq(skuMappings.sku, 'MUG-9102')));

    const refund = h.shopify.control.refundOrder(order.id, { shop: h.shop, lines: [{ lineItemId: order.lineItems[0]!.id, quantity: 1 }] });
    await eventually(async () => ((await refundOf(order.id, refund.id))?.waitingOn === 'sku:MUG-9102' ? true : undefined), 'the refund to wait for its SKU');
    expect(refundReceipts('9102-R1')).toEqual([]);

    const saved = await mapTo();
    expect(saved.json()).toMatchObject({ resumed: 1 });
    await eventually(async () => (await refundOf(order.id, refund.id))?.status === 'synced' || undefined, 'the refund to book after the mapping');
    expect(refundReceipts('9102-R1')).toHaveLength(1);
  });

  it('a payout parked on a revoked ledger grant deposits once after the reconnect, with no Retry', async () => {
    h.qbo.control.addAccount(h.realmId, { name: 'Shopify Clearing', type: 'Other Current Asset' });
    h.qbo.control.addAccount(h.realmId, { name: 'Shopify Fees', type: 'Expense' });
    // The route's payout accounts (this harness's API offers no ledger options: they are written as the PUT would).
    await h.db.update(syncRoutes).set({ ledgerOptions: { clearingAccount: 'Shopify Clearing', payoutBankAccount: 'Checking', payoutFeeAccount: 'Shopify Fees' } }).where(eq(syncRoutes.id, routeId));
    const order = await bookedOrder('#9103');
    await eventually(async () => (await orderOf(order.id))?.status === 'synced' || undefined, 'the sale to be booked');
    await revokeLedger();

    const payout = h.shopify.control.createPayout({ shop: h.shop, transactions: [{ type: 'CHARGE', amount: '24.00', fee: '0.99', orderId: order.id }] });
    // Its re-checks are a day away: only the reconnect's resumption can explain the deposit.
    await startPayoutSync(h.client, h.db, h.taskQueue, { routeId, payoutId: payout.id, timing: { recheckWaitingMs: 24 * HOURS, recheckFailedMs: 24 * HOURS, ordersRecheckMs: 24 * HOURS } });
    type PayoutRow = { payoutId: string; status: string; waitingOn: string | null };
    const payoutRow = async () => (await h.api('GET', `/routes/${routeId}/payouts`)).json<{ payouts: PayoutRow[] }>().payouts.find((p) => p.payoutId === payout.id);
    await eventually(async () => ((await payoutRow())?.status === 'waiting' ? true : undefined), 'the payout to wait for the reconnect');
    expect(await payoutRow()).toMatchObject({ waitingOn: qbo.id });
    const deposits = () => h.qbo.control.documents(h.realmId, 'Deposit').filter((d) => String((d.record as { PrivateNote?: string }).PrivateNote).includes(`payout ${payout.id},`));
    expect(deposits()).toEqual([]);

    await h.clickConnect(qbo.id);
    await eventually(async () => (await payoutRow())?.status === 'synced' || undefined, 'the payout to deposit after the reconnect');
    expect(deposits()).toHaveLength(1);
    await h.client.workflow.getHandle(payoutSyncWorkflowId(routeId, payout.id)).result();
  });
});
