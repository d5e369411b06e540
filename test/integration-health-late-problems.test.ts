import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountingPlatform, Platform } from '../platforms/platform.js';
import { createConnectionProblemSink } from '../runtime/integration-health-problem-sink.js';
import { checkHealthUpdate } from '../workflows/integration-health.js';
import { eventually, HealthHarness } from './integration-health-harness.js';
import { HoldGate } from './support/hold-gate.js';

/** Holds QuickBooks test calls at a gate, so a test can act while a health check is in flight. */
class CheckGate extends HoldGate {
  decorate = (platform: Platform): Platform => {
    const accounting = platform as AccountingPlatform;
    return {
      ...accounting,
      createTarget: (connection) => {
        const target = accounting.createTarget(connection);
        return Object.assign(Object.create(target), {
          checkConnection: async () => {
            await this.pass();
            return target.checkConnection();
          },
        });
      },
    };
  };
}

describe('integration health: a failure reported while a check is running', () => {
  let h: HealthHarness;
  const gate = new CheckGate();
  beforeAll(async () => {
    h = await HealthHarness.start({ decorateQbo: gate.decorate });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is not explained away by that check: it is judged by a check of its own', async () => {
    const qbo = await h.createIntegration('qbo');
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected', 'connected');

    gate.hold();
    const callsBefore = gate.entered;
    const checking = h.healthHandle(qbo.id).executeUpdate(checkHealthUpdate);
    await eventually(async () => gate.entered > callsBefore, 'the check to reach QuickBooks');

    // While that check (which will pass) is in flight, a sync reports a broken connection.
    await createConnectionProblemSink(h.runtime).connectionFailed({
      integrationId: qbo.id,
      errorType: 'CredentialsInvalid',
      message: 'QuickBooks Online refused our credentials.',
      detail: '401',
      routeId: 'route-late',
      orderId: '7001',
      orderName: '#7001',
    });
    gate.open();
    expect((await checking).status).toBe('connected');

    // The report asks for a check of its own rather than being dropped with the earlier one's answer.
    await eventually(async () => gate.entered >= callsBefore + 2, 'a second check, caused by the late report');
    const detail = (await h.api('GET', `/integrations/${qbo.id}`)).json();
    expect(detail.status).toBe('connected');
  });
});
