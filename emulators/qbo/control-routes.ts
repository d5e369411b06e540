import type { FastifyInstance } from 'fastify';
import { registerFaultRoutes } from '../common/fault-injector.js';
import type { QboEmulatorControl } from './control.js';
import type { QboEmulatorState } from './emulator-state.js';
import type { AuthFaultEnvelope, QboRateLimits, QboSeedItem, QboSeedTaxCode, RequestIdMode } from './options.js';

type Realm = { Params: { realmId: string } };
type RealmRow = { Params: { realmId: string; id: string } };

/** JSON control API under /_emulator, for demos and for tests in other processes. */
export function registerControlRoutes(app: FastifyInstance, state: QboEmulatorState, control: QboEmulatorControl): void {
  registerFaultRoutes(app, state.faults);

  app.get('/_emulator/state', async () => ({
    settings: state.settings,
    faults: state.faults.current,
    authorizingRealmId: state.authorizingRealmId,
    companies: [...state.companies.values()].map((company) => ({
      realmId: company.realmId,
      companyName: company.companyName,
      documents: company.documents.length,
      refreshCount: state.grants.refreshCount(company.realmId),
    })),
  }));

  app.post<{ Body: { realmId: string } }>('/_emulator/authorize-as', async (request) => {
    control.authorizeAs(request.body.realmId);
    return { authorizingRealmId: state.authorizingRealmId };
  });
  app.post<Realm>('/_emulator/realms/:realmId/expire-access-tokens', async (request) => ({
    expired: control.expireAccessTokens(request.params.realmId),
  }));
  app.post<Realm>('/_emulator/realms/:realmId/revoke', async (request) => ({ revokedGrants: control.revokeGrant(request.params.realmId) }));
  app.post<{ Body: { seconds: number } }>('/_emulator/access-token-lifetime', async (request) => {
    control.setAccessTokenLifetime(Number(request.body.seconds));
    return { accessTokenTtlSeconds: state.settings.accessTokenTtlSeconds };
  });
  app.post<{ Body: { ms: number } }>('/_emulator/advance-clock', async (request) => {
    control.advanceClock(Number(request.body.ms));
    return { now: new Date(state.clock.now()).toISOString() };
  });
  app.post<{ Body: { count?: number; retryAfterSeconds?: number | null; format?: 'json' | 'xml' } }>('/_emulator/throttle', async (request) => {
    const body = request.body ?? {};
    if (body.retryAfterSeconds !== undefined) control.setThrottleRetryAfter(body.retryAfterSeconds);
    if (body.format) control.setThrottleBodyFormat(body.format);
    control.throttleNext(body.count ?? 1);
    return state.faults.current;
  });
  app.post<{ Body: Partial<QboRateLimits> }>('/_emulator/rate-limits', async (request) => {
    control.setRateLimits(request.body ?? {});
    return state.settings.rateLimits;
  });
  app.post<{ Body: { mode: RequestIdMode } }>('/_emulator/request-id-mode', async (request, reply) => {
    if (!['replay-all', 'replay-success', 'ignore'].includes(request.body?.mode)) return reply.code(400).send({ error: 'mode must be replay-all, replay-success or ignore' });
    control.setRequestIdMode(request.body.mode);
    return { requestIdMode: state.settings.requestIdMode };
  });
  app.post<{ Body: { ms: number } }>('/_emulator/latency', async (request) => {
    control.setLatency(Number(request.body?.ms ?? 0));
    return { latencyMs: state.settings.latencyMs };
  });
  app.post<Realm & { Body: { allowed: boolean } }>('/_emulator/realms/:realmId/duplicate-doc-numbers', async (request) => {
    control.setDuplicateDocNumbersAllowed(request.params.realmId, request.body?.allowed === true);
    return { duplicateDocNumbersAllowed: request.body?.allowed === true };
  });
  app.get<Realm>('/_emulator/realms/:realmId/request-count', async (request) => ({
    requests: control.requestCount(request.params.realmId),
    peakInFlight: control.peakInFlight(request.params.realmId),
  }));
  app.post<{ Body: { envelope: AuthFaultEnvelope } }>('/_emulator/auth-fault-envelope', async (request) => {
    control.setAuthFaultEnvelope(request.body.envelope);
    return { authFaultEnvelope: state.settings.authFaultEnvelope };
  });

  app.post<Realm & { Body: QboSeedItem }>('/_emulator/realms/:realmId/items', async (request) => control.addItem(request.params.realmId, request.body));
  app.post<RealmRow>('/_emulator/realms/:realmId/items/:id/deactivate', async (request) =>
    control.setItemActive(request.params.realmId, request.params.id, false),
  );
  app.post<Realm & { Body: QboSeedTaxCode }>('/_emulator/realms/:realmId/tax-codes', async (request) =>
    control.addTaxCode(request.params.realmId, request.body),
  );
  app.post<RealmRow>('/_emulator/realms/:realmId/tax-codes/:id/deactivate', async (request) =>
    control.setTaxCodeActive(request.params.realmId, request.params.id, false),
  );

  app.post<RealmRow>('/_emulator/realms/:realmId/sales-receipts/:id/duplicate', async (request) =>
    control.duplicateSalesReceipt(request.params.realmId, request.params.id),
  );
  app.post<RealmRow & { Body: { totalAmt: number } }>('/_emulator/realms/:realmId/sales-receipts/:id/total', async (request) =>
    control.correctSalesReceipt(request.params.realmId, request.params.id, Number(request.body?.totalAmt)),
  );
  app.post<RealmRow>('/_emulator/realms/:realmId/deposits/:id/duplicate', async (request) => control.duplicateDeposit(request.params.realmId, request.params.id));
  app.post<RealmRow & { Body: { totalAmt: number } }>('/_emulator/realms/:realmId/deposits/:id/total', async (request) =>
    control.correctDeposit(request.params.realmId, request.params.id, Number(request.body?.totalAmt)),
  );
  app.get<Realm & { Querystring: { entity?: string } }>('/_emulator/realms/:realmId/documents', async (request) =>
    control.documents(request.params.realmId, request.query.entity),
  );
  app.get<Realm>('/_emulator/realms/:realmId/refresh-count', async (request) => ({
    refreshCount: control.refreshCount(request.params.realmId),
  }));
  app.get('/_emulator/requests', async () => control.requestLog());
  app.delete('/_emulator/requests', async () => {
    control.clearRequestLog();
    return { cleared: true };
  });
}
