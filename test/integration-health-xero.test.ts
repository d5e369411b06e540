import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthCheckOutcome } from '../workflows/integration-health.js';
import { revokeXeroGrant } from './support/emulated-xero.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

/** Xero integrations as an operator meets them: numbered, connected by OAuth (picking an organisation), checked, and alerted on. */
describe('integration health: Xero', () => {
  let h: HealthHarness;
  /** "Xero #1", connected by the first test; the revoke test revokes it. */
  let xeroOne: { id: string; displayName: string };
  beforeAll(async () => {
    h = await HealthHarness.start({ xero: true });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  const listed = async (id: string) => {
    const response = await h.api('GET', '/integrations');
    return (response.json().integrations as { id: string; status: string; statusLabel: string; reason: string | null }[]).find((i) => i.id === id)!;
  };
  const statusOf = (id: string, status: string) => eventually(async () => (await listed(id))?.status === status && listed(id), `status ${status}`);

  /** Presses the button named `label` on a page of choices, as the operator's browser would. */
  async function press(page: { body: string }, label: string): Promise<{ status: number; body: string }> {
    const forms = [...page.body.matchAll(/<form method="post" action="([^"]*)">(.*?)<\/form>/gs)];
    const form = forms.find((match) => match[2]!.includes(`<button type="submit">${label}</button>`));
    if (!form) throw new Error(`no button "${label}" on the page: ${page.body.slice(0, 400)}`);
    const fields = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) fields.set(input[1]!, input[2]!);
    const response = await fetch(`${h.baseUrl}${form[1]!}`, { method: 'POST', body: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    return { status: response.status, body: await response.text() };
  }

  it('numbers Xero integrations "Xero #1", "Xero #2"; a consent for two organisations lets the operator pick one; the four checks pass', async () => {
    const created = await h.api('POST', '/integrations', { platform: 'xero', notifyEmails: ['books@example.com'] });
    expect(created.statusCode).toBe(201);
    expect(created.json().displayName).toBe('Xero #1');
    const xero = created.json() as { id: string; displayName: string };
    xeroOne = xero;
    await statusOf(xero.id, 'reconnect_required');

    // The person ticks both organisations on Xero's consent page.
    h.xero.emulator.control.authorizeAs([h.xero.tenantId, h.xero.otherTenantId]);
    const choice = await h.clickConnect(xero.id);
    expect(choice.status).toBe(200);
    expect(choice.body).toContain('Xero #1: which organisation?');
    expect(choice.body).toContain('Test Books Ltd');
    expect(choice.body).toContain('Other Books Ltd');
    expect((await h.row(xero.id)).credentials).toBeNull();

    const connected = await press(choice, 'Test Books Ltd');
    expect(connected.body).toContain('Xero #1 is connected');
    expect((await h.row(xero.id)).account).toEqual({ tenantId: h.xero.tenantId });
    // The same choice cannot be made twice.
    expect((await press(choice, 'Other Books Ltd')).body).toContain('already made or has expired');
    await statusOf(xero.id, 'connected');

    const outcome = (await h.api('POST', `/integrations/${xero.id}/check`)).json() as HealthCheckOutcome;
    expect(outcome.status).toBe('connected');
    expect(outcome.results.map((r) => [r.check, r.ok])).toEqual([
      ['oauth_connected', true],
      ['token_fresh', true],
      ['scopes_granted', true],
      ['test_call', true],
    ]);
    expect(outcome.results.find((r) => r.check === 'test_call')!.message).toBe('Xero answered for "Test Books Ltd".');
    expect(outcome.results.find((r) => r.check === 'oauth_connected')!.message).toContain(`Xero #1 is connected (${h.xero.tenantId})`);

    // Reconnecting with the same two organisations asks nothing: the integration's own is among them.
    expect((await h.clickConnect(xero.id)).body).toContain('Xero #1 is connected');
    expect((await h.row(xero.id)).account).toEqual({ tenantId: h.xero.tenantId });

    const second = await h.createIntegration('xero');
    expect(second.displayName).toBe('Xero #2');
  });

  it('a reconnect that brings another organisation back changes nothing until the switch is confirmed', async () => {
    const xero = await h.createIntegration('xero');
    h.xero.emulator.control.authorizeAs([h.xero.tenantId]);
    expect((await h.clickConnect(xero.id)).body).toContain(`${xero.displayName} is connected`);
    await statusOf(xero.id, 'connected');

    h.xero.emulator.control.authorizeAs([h.xero.otherTenantId]);
    const other = await h.clickConnect(xero.id);
    expect(other.status).toBe(409);
    expect(other.body).toContain(`books into organisation ${h.xero.tenantId}, but you approved access for organisation ${h.xero.otherTenantId}`);
    expect((await h.row(xero.id)).account).toEqual({ tenantId: h.xero.tenantId });

    const switched = await press(other, `Switch to organisation ${h.xero.otherTenantId}`);
    expect(switched.body).toContain(`${xero.displayName} now books into organisation ${h.xero.otherTenantId}`);
    expect((await h.row(xero.id)).account).toEqual({ tenantId: h.xero.otherTenantId });
    await statusOf(xero.id, 'disconnected');
    h.xero.emulator.control.authorizeAs([h.xero.tenantId]);
  });

  it('a revoked grant turns "Xero #1" Reconnect required and emails its recipients naming it', async () => {
    const xero = xeroOne;
    await statusOf(xero.id, 'connected');
    h.smtp.clear();

    const { credentials } = await h.credentials.load(xero.id);
    const revoked = await revokeXeroGrant(h.xero.emulator.urls.revocationEndpoint, credentials!.refreshToken!);
    expect(revoked.status).toBe(200);

    const outcome = (await h.api('POST', `/integrations/${xero.id}/check`)).json() as HealthCheckOutcome;
    expect(outcome.status).toBe('reconnect_required');
    expect(outcome.results.find((r) => r.check === 'test_call')!.ok).toBe(false);
    const row = await statusOf(xero.id, 'reconnect_required');
    expect(row.statusLabel).toBe('Reconnect required');

    const [email] = await h.smtp.waitForMessages(1);
    expect(email!.parsed.subject).toBe('Reconnect required: Xero #1');
    expect(email!.parsed.text).toContain(xero.displayName);
    expect(email!.parsed.text).toMatch(/reconnect/i);
    // Never a token in an email.
    expect(email!.parsed.text).not.toContain(credentials!.refreshToken!);
    expect(email!.parsed.text).not.toContain(credentials!.accessToken);
  });

  it('an organisation removed in Xero (no longer listed in /connections) is Reconnect required', async () => {
    const xero = await h.createIntegration('xero');
    h.xero.emulator.control.authorizeAs([h.xero.tenantId]);
    await h.clickConnect(xero.id);
    await statusOf(xero.id, 'connected');
    h.xero.emulator.control.removeTenant(h.xero.tenantId);
    const outcome = (await h.api('POST', `/integrations/${xero.id}/check`)).json() as HealthCheckOutcome;
    expect(outcome.status).toBe('reconnect_required');
    expect((await statusOf(xero.id, 'reconnect_required')).reason).toMatch(/reconnect/i);
  });

  it("a used-up daily quota shows as Error with when it resets, and Connected again once Xero's day rolls over", async () => {
    const xero = await h.createIntegration('xero');
    h.xero.emulator.control.authorizeAs([h.xero.tenantId], 'quota-user');
    await h.clickConnect(xero.id);
    await statusOf(xero.id, 'connected');
    h.xero.emulator.control.spendDailyCalls(h.xero.tenantId, 5000);
    const spent = (await h.api('POST', `/integrations/${xero.id}/check`)).json() as HealthCheckOutcome;
    expect(spent.status).toBe('error');
    expect(spent.results.find((r) => r.check === 'test_call')!.message).toMatch(/^Xero's daily limit of API calls for this organisation is used up; .* resets at .* UTC\.$/);
    h.xero.emulator.control.advanceClock(24 * 3600_000);
    expect(((await h.api('POST', `/integrations/${xero.id}/check`)).json() as HealthCheckOutcome).status).toBe('connected');
  });
});
