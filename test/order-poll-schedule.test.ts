import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { HealthCheckOutcome } from '../workflows/integration-health.js';
import { keepOrderPollSchedule, orderPollScheduleId } from '../runtime/order-poll-schedule.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

/**
 * Every store integration has a Temporal Schedule that polls it; the schedule follows the integration through the
 * product's own routes (create, pause, resume, check, delete), as Temporal itself describes it.
 */
describe("a store integration's poll schedule", () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start({ orderPollIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await h?.close();
  });

  const schedule = (integrationId: string) => h.client.schedule.getHandle(orderPollScheduleId(integrationId));
  const paused = async (integrationId: string) => (await schedule(integrationId).describe()).state.paused;

  it('is created with the store, paused while the integration is paused, running again on resume, repaired by the check, deleted with it', async () => {
    const shopify = await h.createIntegration('shopify');
    const created = await schedule(shopify.id).describe();
    expect(created.state.paused).toBe(false);
    expect(created.spec.intervals?.map((i) => i.every)).toEqual([60_000]);
    expect(created.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);
    expect(created.action).toMatchObject({ type: 'startWorkflow', workflowType: 'orderPollWorkflow', taskQueue: h.taskQueue, args: [{ integrationId: shopify.id }] });
    // A ledger is not polled.
    const qbo = await h.createIntegration('qbo');
    await expect(schedule(qbo.id).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);

    await h.clickConnect(shopify.id);
    await eventually(async () => (await h.health(shopify.id)).status === 'connected', 'the shop to be connected');

    expect((await h.api('POST', `/integrations/${shopify.id}/pause`)).statusCode).toBe(202);
    await eventually(() => paused(shopify.id), 'the schedule to be paused');
    expect((await schedule(shopify.id).describe()).state.note).toContain('paused');

    expect((await h.api('POST', `/integrations/${shopify.id}/resume`)).statusCode).toBe(202);
    await eventually(async () => !(await paused(shopify.id)), 'the schedule to run again');
    expect((await h.health(shopify.id)).status).toBe('connected');

    // Someone deletes the schedule in Temporal: the next health check puts it back, and says so.
    await schedule(shopify.id).delete();
    const check = await h.api('POST', `/integrations/${shopify.id}/check`);
    expect(check.statusCode).toBe(200);
    const outcome = check.json() as HealthCheckOutcome;
    expect(outcome.status).toBe('connected');
    expect(outcome.results.find((r) => r.check === 'polling_scheduled')).toEqual({
      check: 'polling_scheduled',
      ok: true,
      message: 'Repaired: the polling schedule was missing and was created. The store is polled every 1 minute for orders whose webhook never arrived.',
    });
    expect(await paused(shopify.id)).toBe(false);

    // A schedule at another interval (ORDER_POLL_INTERVAL_SECONDS changed since it was made) is set to the configured one.
    expect(await keepOrderPollSchedule({ ...h.runtime, orderPollIntervalMs: 120_000 }, shopify.id, false)).toBe('interval_changed');
    expect((await schedule(shopify.id).describe()).spec.intervals?.map((i) => i.every)).toEqual([120_000]);
    const recheck = (await h.api('POST', `/integrations/${shopify.id}/check`)).json() as HealthCheckOutcome;
    expect(recheck.results.find((r) => r.check === 'polling_scheduled')?.message).toContain('Repaired: the polling schedule now runs at the configured interval.');
    const reset = await schedule(shopify.id).describe();
    expect([reset.spec.intervals?.map((i) => i.every), reset.state.paused, reset.action.workflowType]).toEqual([[60_000], false, 'orderPollWorkflow']);

    const deleted = await h.api('DELETE', `/integrations/${shopify.id}?confirm=${shopify.id}`);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ pollScheduleDeleted: true });
    await expect(schedule(shopify.id).describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });
});
