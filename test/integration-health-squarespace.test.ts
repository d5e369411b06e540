import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRED_CREDENTIALS_MESSAGE } from '../activities/integration-health-checks.js';
import type { HealthCheckOutcome } from '../workflows/integration-health.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

/** A Squarespace site connected through the production routes (connect → Squarespace's consent → our callback) and kept by health checks. */
describe('integration health: Squarespace', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start({ squarespace: true });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const check = async (integrationId: string) => (await h.api('POST', `/integrations/${integrationId}/check`)).json() as HealthCheckOutcome;
  const listed = async (id: string) =>
    ((await h.api('GET', '/integrations')).json().integrations as { id: string; status: string; reason: string | null }[]).find((i) => i.id === id)!;
  const statusOf = (id: string, status: string) => eventually(async () => ((await listed(id))?.status === status ? listed(id) : undefined), `Squarespace #1 ${status}`);

  async function connect(integrationId: string): Promise<void> {
    const page = await h.clickConnect(integrationId);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Squarespace #1 is connected');
  }

  it('connects by OAuth and checks healthy; a revoked grant is Reconnect required in plain words; reconnecting brings it back', async () => {
    const site = await h.createIntegration('squarespace');
    expect(site.displayName).toBe('Squarespace #1');
    await connect(site.id);
    await statusOf(site.id, 'connected');
    expect((await h.row(site.id)).account).toEqual({ websiteId: h.squarespace.control.site.websiteId });

    const healthy = await check(site.id);
    expect(healthy.results.filter((r) => !r.ok)).toEqual([]);
    expect(healthy.results.find((r) => r.check === 'test_call')!.message).toContain('Health Squarespace Site');
    expect([...h.squarespace.control.site.subscriptions.values()].map((s) => s.endpointUrl)).toEqual([`${h.baseUrl}/webhooks/squarespace`]);

    // The merchant disconnects ledgerbridge in Squarespace's panel, no notification sent: the next check finds out.
    h.squarespace.control.revokeTokens();
    const revoked = await check(site.id);
    expect(revoked.status).toBe('reconnect_required');
    expect(revoked.results.find((r) => r.check === 'test_call')).toMatchObject({ ok: false, message: EXPIRED_CREDENTIALS_MESSAGE });
    expect((await statusOf(site.id, 'reconnect_required')).reason).toBe(EXPIRED_CREDENTIALS_MESSAGE);

    await connect(site.id);
    await statusOf(site.id, 'connected');
    expect((await check(site.id)).results.every((r) => r.ok)).toBe(true);
  });

  it('extension.uninstall makes it Reconnect required at once, saying the app was uninstalled; reconnecting makes it Connected', async () => {
    const [site] = ((await h.api('GET', '/integrations')).json().integrations as { id: string; displayName: string }[]).filter((i) => i.displayName === 'Squarespace #1');
    await statusOf(site!.id, 'connected');

    h.squarespace.control.uninstall();
    const row = await statusOf(site!.id, 'reconnect_required');
    expect(row.reason).toMatch(/uninstalled.*reconnect/i);
    expect(h.squarespace.control.webhooks.deliveries.find((d) => d.topic === 'extension.uninstall')?.status).toBe(200);
    // No check ran: the notification said so.
    const detail = (await h.api('GET', `/integrations/${site!.id}`)).json();
    expect(detail.transitions[0]).toMatchObject({ to: 'reconnect_required', check: null });

    await connect(site!.id);
    await statusOf(site!.id, 'connected');
    expect((await check(site!.id)).results.every((r) => r.ok)).toBe(true);
  });
});
