import type { FastifyInstance } from 'fastify';
import { registerFaultRoutes } from '../common/fault-injector.js';
import type { XeroEmulatorControl } from './control.js';
import type { XeroEmulatorState } from './emulator-state.js';
import type { IdempotencyKeyReuse, IdempotencyMode, XeroRateLimits, XeroSeedItem, XeroSeedTaxRate } from './options.js';

type Tenant = { Params: { tenantId: string } };

/** JSON control API under /_emulator, for demos and for tests in other processes. */
export function registerControlRoutes(app: FastifyInstance, state: XeroEmulatorState, control: XeroEmulatorControl): void {
  registerFaultRoutes(app, state.faults);

  app.get('/_emulator/state', async () => ({
    settings: state.settings,
    now: new Date(state.clock.now()).toISOString(),
    authorizingUserId: state.authorizingUserId,
    authorizingTenantIds: state.authorizingTenantIds,
    connections: state.grants.connections.length,
    refreshCount: state.grants.refreshCount,
    organisations: [...state.organisations.values()].map((org) => ({ tenantId: org.tenantId, name: org.name, invoices: org.invoices.length, payments: org.payments.length })),
  }));
  app.post<{ Body: { tenantIds: string[]; userId?: string } }>('/_emulator/authorize-as', async (request) => {
    control.authorizeAs(request.body.tenantIds, request.body.userId);
    return { authorizingTenantIds: state.authorizingTenantIds, authorizingUserId: state.authorizingUserId };
  });
  app.post('/_emulator/expire-access-tokens', async () => ({ expired: control.expireAccessTokens() }));
  app.post<Tenant>('/_emulator/tenants/:tenantId/remove', async (request) => ({ removedConnections: control.removeTenant(request.params.tenantId) }));
  app.post<{ Body: { ms: number } }>('/_emulator/advance-clock', async (request) => {
    control.advanceClock(Number(request.body.ms));
    return { now: new Date(state.clock.now()).toISOString() };
  });
  app.post<{ Body: Partial<XeroRateLimits> }>('/_emulator/rate-limits', async (request) => control.setRateLimits(request.body ?? {}));
  app.post<{ Body: { kind: 'fixed' | 'rolling' } }>('/_emulator/rate-windows', async (request, reply) => {
    if (!['fixed', 'rolling'].includes(request.body?.kind)) return reply.code(400).send({ error: 'kind must be fixed or rolling' });
    control.setRateWindows(request.body.kind);
    return { rateWindows: state.settings.rateWindows };
  });
  app.post<Tenant & { Body: { calls: number } }>('/_emulator/tenants/:tenantId/spend-daily-calls', async (request) => {
    control.spendDailyCalls(request.params.tenantId, Number(request.body.calls));
    return { spent: Number(request.body.calls) };
  });
  app.post<{ Body: { mode: IdempotencyMode; reuse?: IdempotencyKeyReuse } }>('/_emulator/idempotency', async (request, reply) => {
    if (!['replay-all', 'replay-success', 'ignore'].includes(request.body?.mode)) return reply.code(400).send({ error: 'mode must be replay-all, replay-success or ignore' });
    control.setIdempotency(request.body.mode, request.body.reuse);
    return { idempotencyMode: state.settings.idempotencyMode, idempotencyKeyReuse: state.settings.idempotencyKeyReuse };
  });
  app.post<{ Body: { ms: number } }>('/_emulator/latency', async (request) => {
    control.setLatency(Number(request.body?.ms ?? 0));
    return { latencyMs: state.settings.latencyMs };
  });
  app.post<Tenant & { Body: XeroSeedItem }>('/_emulator/tenants/:tenantId/items', async (request) => control.addItem(request.params.tenantId, request.body));
  app.post<Tenant & { Body: XeroSeedTaxRate }>('/_emulator/tenants/:tenantId/tax-rates', async (request) => control.addTaxRate(request.params.tenantId, request.body));
  app.get<Tenant>('/_emulator/tenants/:tenantId/invoices', async (request) => control.invoices(request.params.tenantId));
  app.get<Tenant>('/_emulator/tenants/:tenantId/payments', async (request) => control.payments(request.params.tenantId));
  app.get('/_emulator/requests', async () => control.requestLog());
  app.delete('/_emulator/requests', async () => {
    control.clearRequestLog();
    return { cleared: true };
  });
}
