import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { OrderEventWriter } from '../db/order-event-writer.js';
import { webhookEvents } from '../db/schema.js';
import type { QueuedOrderEvent } from '../db/webhook-intake.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const LEASE_MS = 60_000;
let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => testDb?.close());

function orderEvent(eventId = randomUUID(), orderName = '#1001'): QueuedOrderEvent {
  return {
    eventId,
    topic: 'orders/create',
    shop: 'burst.myshopify.com',
    webhookId: randomUUID(),
    integrationId: 'shopify-burst',
    orderId: String(5_000_000_000_000 + Math.floor(Math.random() * 1e9)),
    orderReference: { orderName, currentTotal: '8.00', cancelledAt: null, updatedAt: '2026-11-29T10:00:00Z' },
  };
}

/** The database, counting the insert statements sent through it. */
function countingInserts(db: Database): { db: Database; inserts: () => number } {
  let inserts = 0;
  const counted = new Proxy(db, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property === 'insert' && typeof value === 'function') {
        return (...args: unknown[]) => {
          inserts++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return value;
    },
  });
  return { db: counted, inserts: () => inserts };
}

describe('order webhooks written by the intake in a burst', () => {
  it('writes a burst of deliveries in a few statements, every one recorded by the time it is answered', async () => {
    const { db, inserts } = countingInserts(testDb.db);
    const writer = new OrderEventWriter(db, LEASE_MS, { writesInFlight: 2 });
    const events = Array.from({ length: 60 }, () => orderEvent());
    const answered = await Promise.all(
      events.map(async (event) => {
        const outcome = await writer.write(event);
        // Answered only once its own row is committed: a crash after the answer loses nothing.
        const [row] = await testDb.db.select({ outcome: webhookEvents.outcome }).from(webhookEvents).where(eq(webhookEvents.eventId, event.eventId));
        return { outcome, recorded: row?.outcome };
      }),
    );
    expect(answered).toEqual(events.map(() => ({ outcome: 'queued', recorded: 'queued' })));
    // The first two go alone (nothing to wait for), the other 58 arrived while those were in flight.
    expect(inserts()).toBeLessThanOrEqual(4);
  });

  it('a redelivery inside the same burst is accepted again, as it would be one after the other', async () => {
    const writer = new OrderEventWriter(testDb.db, LEASE_MS, { writesInFlight: 1 });
    const event = orderEvent();
    const outcomes = await Promise.all([writer.write(orderEvent()), writer.write(event), writer.write({ ...event, webhookId: randomUUID() })]);
    expect(outcomes).toEqual(['queued', 'queued', 'requeued']);
    expect(await testDb.db.select().from(webhookEvents).where(eq(webhookEvents.eventId, event.eventId))).toHaveLength(1);
  });

  it('answers "duplicate" for an event whose syncs were started', async () => {
    const event = orderEvent();
    const writer = new OrderEventWriter(testDb.db, LEASE_MS);
    expect(await writer.write(event)).toBe('queued');
    await testDb.db.update(webhookEvents).set({ outcome: 'started' }).where(eq(webhookEvents.eventId, event.eventId));
    expect(await writer.write({ ...event, webhookId: randomUUID() })).toBe('duplicate');
  });

  it('a delivery the database refuses fails alone: the others in its statement are recorded and accepted', async () => {
    const writer = new OrderEventWriter(testDb.db, LEASE_MS, { writesInFlight: 1 });
    const good = [orderEvent(), orderEvent(), orderEvent()];
    // PostgreSQL's jsonb has no place for U+0000: the whole statement would fail with it.
    const refused = orderEvent(randomUUID(), 'bad \u0000 name');
    const results = await Promise.allSettled([writer.write(orderEvent()), writer.write(good[0]!), writer.write(refused), writer.write(good[1]!), writer.write(good[2]!)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const rows = await testDb.db.select({ eventId: webhookEvents.eventId }).from(webhookEvents).where(inArray(webhookEvents.eventId, [...good, refused].map((e) => e.eventId)));
    expect(rows.map((r) => r.eventId).sort()).toEqual(good.map((e) => e.eventId).sort());
  });
});
