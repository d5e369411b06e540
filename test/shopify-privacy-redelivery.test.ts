import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { privacyRequests, truncatedFields } from '../db/schema.js';
import { ERASED_TEXT } from '../db/customer-privacy.js';
import { signedDelivery } from './support/ledgerbridge-child.js';
import { eventually, SHOPIFY_APP, SyncHarness } from './support/sync-harness.js';

/** A redaction that did not finish is done by Shopify's redelivery, never answered "duplicate" and forgotten. */
describe('Shopify privacy webhooks: a redaction interrupted midway', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await SyncHarness.start();
    const response = await fetch(`${h.shopify.origin}/_emulator/app/compliance-url`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${h.apiOrigin}/webhooks/shopify` }),
    });
    expect(response.status).toBeLessThan(300);
  });
  afterAll(async () => {
    await h?.close();
  });

  /** A booked order whose customer's name was too long for the ledger: we keep the full text, which a redaction erases. */
  const bookedOrder = async (name: string) => {
    const longName = `Ada${name.slice(1)}${'a'.repeat(120)}`;
    const order = h.shopify.control.createOrder({ name, customer: { firstName: longName, lastName: 'Byron', email: `${randomUUID()}@example.com` }, lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    expect((await h.syncResultOf(order.id)).outcome).toBe('created');
    const kept = () => h.db.select().from(truncatedFields).where(and(eq(truncatedFields.routeId, h.routeId), eq(truncatedFields.orderId, order.id)));
    expect((await kept()).some((t) => t.fullText.includes(longName))).toBe(true);
    return { order, kept };
  };

  it("the database fails after the webhook's claim: Shopify's retry erases the customer's data", async () => {
    const { order, kept } = await bookedOrder('#3301');
    // The first erasure of order rows fails, as a process dying there would leave it (a sequence is not rolled back).
    await h.db.execute(sql.raw('CREATE SEQUENCE privacy_failure_once'));
    await h.db.execute(
      sql.raw(`CREATE FUNCTION privacy_fail_once() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF nextval('privacy_failure_once') = 1 THEN RAISE EXCEPTION 'simulated failure in the middle of a redaction'; END IF;
          RETURN NULL;
        END $$`),
    );
    await h.db.execute(sql.raw('CREATE TRIGGER privacy_fail_once BEFORE UPDATE ON order_syncs FOR EACH STATEMENT EXECUTE FUNCTION privacy_fail_once()'));
    try {
      const response = await fetch(`${h.shopify.origin}/_emulator/privacy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ topic: 'customers/redact', customerId: order.customerId, shop: h.shop }),
      });
      const { eventId } = (await response.json()) as { eventId: string };
      const [failed, ...retries] = await eventually(async () => {
        const attempts = h.shopify.control.webhookDeliveries({ eventId }).flatMap((d) => d.attempts);
        return attempts.length >= 2 && attempts.at(-1)!.status === 200 ? attempts : undefined;
      }, "Shopify's retry to be answered");
      expect(failed!.status).toBe(500);
      expect(retries.length).toBeGreaterThanOrEqual(1);
      const [request] = await h.db.select().from(privacyRequests).where(eq(privacyRequests.eventId, eventId));
      expect(request!.completedAt).not.toBeNull();
      expect(request!.result).toEqual({ erased: { orderRowsErased: 1, truncatedTextsErased: 1 } });
    } finally {
      await h.db.execute(sql.raw('DROP TRIGGER privacy_fail_once ON order_syncs'));
      await h.db.execute(sql.raw('DROP FUNCTION privacy_fail_once()'));
      await h.db.execute(sql.raw('DROP SEQUENCE privacy_failure_once'));
    }
    expect(await kept()).toEqual([]);
    expect((await h.orderRow(order.id))!.lastErrorMessage).toBe(ERASED_TEXT);
  });

  it('a claim left unfinished by a process that died is taken over by the redelivery', async () => {
    const { order, kept } = await bookedOrder('#3302');
    const eventId = randomUUID();
    // What a process that died after claiming the event left behind.
    await h.db.insert(privacyRequests).values({ eventId, topic: 'customers/redact', shop: h.shop, customerId: order.customerId, orderIds: [order.id] });
    const body = JSON.stringify({ shop_domain: h.shop, customer: { id: Number(order.customerId) }, orders_to_redact: [Number(order.id)] });
    const delivery = { body, topic: 'customers/redact', shop: h.shop, eventId };
    const redelivered = await signedDelivery(h.apiOrigin, SHOPIFY_APP.apiSecret, delivery);
    expect(redelivered.status).toBe(200);
    expect(((await redelivered.json()) as { status: string }).status).toBe('recorded');
    expect(await kept()).toEqual([]);
    const [request] = await h.db.select().from(privacyRequests).where(eq(privacyRequests.eventId, eventId));
    expect(request!.completedAt).not.toBeNull();

    // Once finished, a further delivery is a duplicate.
    const again = await signedDelivery(h.apiOrigin, SHOPIFY_APP.apiSecret, delivery);
    expect(((await again.json()) as { status: string }).status).toBe('duplicate');
  });
});
