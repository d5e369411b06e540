import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderSyncs } from '../db/schema.js';
import { startOrderSync } from '../runtime/order-sync-starter.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

/** Mappings name a company's item and tax code ids: after a switch to another company they must not be used. */
describe('switching a ledger integration to another QuickBooks company', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("removes the routes' item and tax mappings made for the old company, so the new company's orders ask for new ones", async () => {
    const shopify = await h.createIntegration('shopify');
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(shopify.id);
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected' && (await h.row(shopify.id)).status === 'connected', 'both connected');
    const routeId = await h.createRoute(shopify.id, qbo.id);
    const otherRoute = await h.createRoute(shopify.id, (await h.createIntegration('qbo')).id);

    // A SKU the ledger does not know, mapped by a bookkeeper to the old company's T-shirt; and a tax mapping.
    const tshirt = String(h.qbo.control.list(h.realmId, 'Item').find((i) => i.Name === 'Red T-shirt')!.Id);
    expect((await h.api('PUT', `/routes/${routeId}/sku-mappings/WIDGET-9`, { ledgerItemId: tshirt })).statusCode).toBe(200);
    expect((await h.api('PUT', `/routes/${routeId}/tax-mappings/${encodeURIComponent('VAT@20')}`, { ledgerTaxCodeId: '1' })).statusCode).toBe(200);
    expect((await h.api('PUT', `/routes/${otherRoute}/sku-mappings/WIDGET-9`, { ledgerItemId: tshirt })).statusCode).toBe(200);
    const first = h.shopify.control.createOrder({ shop: h.shop, name: '#3101', lineItems: [{ title: 'Widget', sku: 'WIDGET-9', quantity: 1, unitPrice: '20.00' }] });
    const booked = await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: first.id });
    expect(((await h.client.workflow.getHandle(booked.workflowId).result()) as OrderSyncResult).outcome).toBe('created');

    // The same lists, same ids, in another company: an old mapping would book silently there.
    const { realmId: otherRealm, refused, confirmed: switched } = await h.switchToAnotherQboCompany(qbo.id, 'Someone Else Ltd');
    expect(refused.status).toBe(409);
    expect(switched.status).toBe(200);
    expect(switched.body).toContain('The 2 item and tax mappings of its routes');
    expect(switched.body).toContain(`orders will ask for mappings in company ${otherRealm}`);
    expect((await h.api('GET', `/routes/${routeId}/sku-mappings`)).json().mappings).toEqual([]);
    expect((await h.api('GET', `/routes/${routeId}/tax-mappings`)).json().mappings).toEqual([]);
    // A route into another ledger keeps its own.
    expect((await h.api('GET', `/routes/${otherRoute}/sku-mappings`)).json().mappings).toHaveLength(1);

    // Resumed, the integration books into the new company: the order asks for a mapping there instead of guessing.
    expect((await h.api('POST', `/integrations/${qbo.id}/resume`)).statusCode).toBe(202);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected', 'resumed');
    const second = h.shopify.control.createOrder({ shop: h.shop, name: '#3102', lineItems: [{ title: 'Widget', sku: 'WIDGET-9', quantity: 1, unitPrice: '20.00' }] });
    await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: second.id });
    const row = await eventually(async () => {
      const [found] = await h.db.select().from(orderSyncs).where(and(eq(orderSyncs.routeId, routeId), eq(orderSyncs.orderId, second.id)));
      return found?.status === 'waiting' ? found : undefined;
    }, 'order #3102 to wait for a mapping');
    expect(row).toMatchObject({ waitingFor: 'fix', waitingOn: 'sku:WIDGET-9', lastErrorCode: 'SkuNotFound' });
    expect(h.qbo.control.documents(otherRealm, 'SalesReceipt')).toHaveLength(0);

    // Mapped in the new company, it books there, once.
    const newTshirt = String(h.qbo.control.list(otherRealm, 'Item').find((i) => i.Name === 'Red T-shirt')!.Id);
    expect((await h.api('PUT', `/routes/${routeId}/sku-mappings/WIDGET-9`, { ledgerItemId: newTshirt })).json().resumed).toBe(1);
    await eventually(async () => h.qbo.control.documents(otherRealm, 'SalesReceipt').length === 1, 'order #3102 booked in the new company');
  });
});
