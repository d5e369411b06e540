import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { integrationNotifications } from '../db/schema.js';
import { createConnectionProblemSink } from '../runtime/integration-health-problem-sink.js';
import { eventually, HealthHarness } from './integration-health-harness.js';

describe('integration health: 50 orders failing in one incident', () => {
  let h: HealthHarness;
  beforeAll(async () => {
    h = await HealthHarness.start({ digestWindowMs: 3_000 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('sends one incident email and one digest ("and 39 more orders are waiting"), not 50 emails', async () => {
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected', 'connected');
    h.smtp.clear();
    h.qbo.control.revokeGrant(h.realmId);

    const sink = createConnectionProblemSink(h.runtime);
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        sink.connectionFailed({
          integrationId: qbo.id,
          errorType: 'CredentialsInvalid',
          message: 'QuickBooks Online refused our credentials.',
          detail: 'invalid_grant',
          routeId: 'route-sale',
          orderId: String(5000 + i),
          orderName: `#${5000 + i}`,
        }),
      ),
    );
    // A re-failing order is not counted twice.
    await sink.connectionFailed({ integrationId: qbo.id, errorType: 'CredentialsInvalid', message: 'again', detail: '', routeId: 'route-sale', orderId: '5000', orderName: '#5000' });

    await eventually(async () => (await h.health(qbo.id)).incident?.digestsSent === 1, 'one digest', 30_000);
    const [incident, digest] = await h.smtp.waitForMessages(2);
    expect(incident!.parsed.text).toContain('Your credentials are invalid or expired. Please reconnect your integration.');
    expect(digest!.parsed.subject).toBe(`${qbo.displayName}: 49 orders waiting to sync`);
    expect(digest!.parsed.text).toContain('and 39 more orders are waiting');
    expect(digest!.parsed.text).toContain(`${h.baseUrl}/integrations/${qbo.id}/connect`);

    // Still broken at the next check: no further email.
    const check = await h.api('POST', `/integrations/${qbo.id}/check`);
    expect(check.json().status).toBe('reconnect_required');
    const health = await h.health(qbo.id);
    expect(health.incident).toMatchObject({ digestsSent: 1, waitingCount: 0 });
    expect(h.smtp.messages).toHaveLength(2);
    // One row per email sent: what stops an activity retry from sending it twice.
    const sent = await h.db.select().from(integrationNotifications).where(eq(integrationNotifications.integrationId, qbo.id));
    expect(sent.map((n) => n.kind).sort()).toEqual(['digest', 'incident']);
  });
});
