import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthCheckOutcome } from '../workflows/integration-health.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

describe('integration health: every status, reachable and shown by the API', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start();
  });
  afterAll(async () => {
    await h?.close();
  });

  const listed = async (id: string) => {
    const response = await h.api('GET', '/integrations');
    expect(response.statusCode).toBe(200);
    return (response.json().integrations as { id: string; status: string; colour: string; reason: string | null; statusLabel: string; lastCheckAt: string | null; nextAction: { action: string; url: string | null } }[]).find((i) => i.id === id)!;
  };
  const statusOf = (id: string, status: string) => eventually(async () => (await listed(id))?.status === status && listed(id), `status ${status}`);

  it('numbers display names per platform and starts Reconnect required (never connected), without an email', async () => {
    const created = await h.api('POST', '/integrations', { platform: 'qbo', notifyEmails: ['books@example.com'] });
    expect(created.statusCode).toBe(201);
    const second = await h.createIntegration('qbo');
    const shopify = await h.createIntegration('shopify');
    expect(created.json().displayName).toBe('QuickBooks Online #1');
    expect(second.displayName).toBe('QuickBooks Online #2');
    expect(shopify.displayName).toBe('Shopify #1');
    const row = await listed(second.id);
    expect(row).toMatchObject({ status: 'reconnect_required', colour: 'amber', statusLabel: 'Reconnect required', nextAction: { action: 'reconnect' } });
    expect(row.reason).toContain('not connected');
    expect(h.smtp.messages).toHaveLength(0);
  });

  it('connects through OAuth, checks now (four results), shows Error on a 5xx, Disconnected on pause, Connected on resume', async () => {
    const qbo = await h.createIntegration('qbo');
    const page = await h.clickConnect(qbo.id);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`${qbo.displayName} is connected`);
    const connected = await statusOf(qbo.id, 'connected');
    expect(connected.colour).toBe('green');

    const check = await h.api('POST', `/integrations/${qbo.id}/check`);
    expect(check.statusCode).toBe(200);
    const outcome = check.json() as HealthCheckOutcome;
    expect(outcome.status).toBe('connected');
    expect(outcome.results.map((r) => [r.check, r.ok])).toEqual([
      ['oauth_connected', true],
      ['token_fresh', true],
      ['scopes_granted', true],
      ['test_call', true],
    ]);
    expect(outcome.results[3]!.message).toContain('Test Books Ltd');

    h.qbo.control.injectFaults({ failNext: 1, failStatus: 503 });
    const failed = (await h.api('POST', `/integrations/${qbo.id}/check`)).json() as HealthCheckOutcome;
    expect(failed.status).toBe('error');
    expect(failed.results.find((r) => r.check === 'test_call')!.ok).toBe(false);
    expect((await listed(qbo.id)).colour).toBe('red');

    expect((await h.api('POST', `/integrations/${qbo.id}/pause`)).statusCode).toBe(202);
    const paused = await statusOf(qbo.id, 'disconnected');
    expect(paused).toMatchObject({ colour: 'grey', nextAction: { action: 'resume' } });

    expect((await h.api('POST', `/integrations/${qbo.id}/resume`)).statusCode).toBe(202);
    await statusOf(qbo.id, 'connected');

    const detail = (await h.api('GET', `/integrations/${qbo.id}`)).json();
    expect(detail.checks).toHaveLength(4);
    const path = (detail.transitions as { from: string | null; to: string; cause: string; check: string | null }[]).reverse();
    expect(path.map((t) => t.to)).toEqual(['connected', 'error', 'disconnected', 'connected']);
    expect(path[0]!.cause).toBe('reconnected through OAuth');
    expect(path[1]).toMatchObject({ cause: 'health check requested', check: 'test_call' });
    expect(path[2]!.cause).toBe('paused by an operator');
    expect(path[3]!.cause).toBe('resumed by an operator');
  });

  it('names a missing scope, and goes to Reconnect required at once on app/uninstalled', async () => {
    const shopify = await h.createIntegration('shopify');
    await h.clickConnect(shopify.id);
    await statusOf(shopify.id, 'connected');

    h.shopify.control.setScopes(['read_orders', 'read_products'], h.shop);
    const outcome = (await h.api('POST', `/integrations/${shopify.id}/check`)).json() as HealthCheckOutcome;
    expect(outcome.status).toBe('reconnect_required');
    const scopes = outcome.results.find((r) => r.check === 'scopes_granted')!;
    expect(scopes.ok).toBe(false);
    expect(scopes.message).toContain('"read_customers"');
    expect((await listed(shopify.id)).reason).toContain('read_customers');

    // Reconnecting grants the scopes again.
    await h.clickConnect(shopify.id);
    await statusOf(shopify.id, 'connected');

    // Shopify sends app/uninstalled to our webhook route, which tells the health workflow at once.
    h.shopify.control.uninstall(h.shop);
    const row = await statusOf(shopify.id, 'reconnect_required');
    expect(row.reason).toContain('uninstalled');
    const detail = (await h.api('GET', `/integrations/${shopify.id}`)).json();
    expect(detail.transitions[0]).toMatchObject({ to: 'reconnect_required', cause: 'app/uninstalled webhook' });
  });

  it('deletes only with an explicit confirmation and says what it deleted', async () => {
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(qbo.id);
    await statusOf(qbo.id, 'connected');
    const refused = await h.api('DELETE', `/integrations/${qbo.id}`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain(`?confirm=${qbo.id}`);

    const deleted = await h.api('DELETE', `/integrations/${qbo.id}?confirm=${qbo.id}`);
    expect(deleted.statusCode).toBe(200);
    expect(deleted.json()).toMatchObject({ integrationId: qbo.id, displayName: qbo.displayName, tokensDeleted: true, workflowsTerminated: [`integration-health/${qbo.id}`] });
    expect(deleted.json().statusChangesDeleted).toBeGreaterThan(0);
    expect((await h.api('GET', `/integrations/${qbo.id}`)).statusCode).toBe(404);
    const description = await h.healthHandle(qbo.id).describe();
    expect(description.status.name).toBe('TERMINATED');
  });

  it('sets alert recipients, refusing malformed addresses', async () => {
    const qbo = await h.createIntegration('qbo', []);
    expect((await h.api('PUT', `/integrations/${qbo.id}/recipients`, { notifyEmails: ['not-an-address'] })).statusCode).toBe(400);
    const saved = await h.api('PUT', `/integrations/${qbo.id}/recipients`, { notifyEmails: ['Ann <ann@example.com>', 'bob@example.com'] });
    expect(saved.json()).toEqual({ notifyEmails: ['Ann <ann@example.com>', 'bob@example.com'] });
    expect((await h.row(qbo.id)).notifyEmails).toEqual(['Ann <ann@example.com>', 'bob@example.com']);
  });
});
