import { eq } from 'drizzle-orm';
import type { ConnectionProbe } from '../domain/connection-probe.js';
import type { IntegrationCredentials } from '../domain/credentials.js';
import { CredentialsInvalidError, MissingScopeError, PlatformError } from '../domain/platform-errors.js';
import type { CredentialStore } from '../db/credential-store.js';
import { isDueForRefresh } from '../domain/token-freshness.js';
import type { Database } from '../db/database.js';
import { integrations } from '../db/schema.js';
import type { Platform, PlatformConnection } from '../platforms/platform.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { describeRepair, keepCommerceWebhooks } from './commerce-webhook-keeper.js';
import { describePollSchedule, keepStorePollSchedule } from './order-poll-keeper.js';
import type { OrderPollRuntime } from '../runtime/order-poll-schedule.js';
import type { HealthCheckName, HealthCheckResult, HealthCheckRun, HealthVerdict } from './integration-health-types.js';

export const EXPIRED_CREDENTIALS_MESSAGE = 'Your credentials are invalid or expired. Please reconnect your integration.';

/** Refresh this long before expiry (the credential store refreshes 5 minutes ahead; we ask a little earlier). */
const REFRESH_AHEAD_MS = 10 * 60_000;

export interface HealthCheckDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
  /** Our public origin; when set, a shop's webhook subscriptions are checked (and repaired) against it. */
  publicBaseUrl?: string;
  /** When set, a shop's reconciliation poll schedule is checked (and repaired). */
  orderPolling?: OrderPollRuntime;
}

type Outcome = { ok: true; message: string } | { ok: false; message: string; verdict: 'reconnect_required' | 'error'; missingScopes?: readonly string[] };

/**
 * The four checks of one integration. Never throws for what a platform says: every answer becomes a
 * result in plain words. Only our own failures (database down) throw, so the activity retries.
 */
export async function runHealthChecks(deps: HealthCheckDeps, integrationId: string): Promise<HealthCheckRun> {
  const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) throw new Error(`integration ${integrationId} does not exist`);
  const platform = deps.platforms.get(row.platform);
  const name = row.displayName;
  const outcomes = new Map<HealthCheckName, Outcome>();

  const { credentials, version } = await deps.credentials.load(integrationId);
  if (!credentials) {
    outcomes.set('oauth_connected', { ok: false, message: `${name} is not connected. Connect it to start syncing.`, verdict: 'reconnect_required' });
    const skipped: Outcome = { ok: false, message: 'Not checked: the integration is not connected.', verdict: 'reconnect_required' };
    for (const check of ['token_fresh', 'scopes_granted', 'test_call'] as const) outcomes.set(check, skipped);
    return { ...finish(outcomes), grantGeneration: row.grantGeneration };
  }
  outcomes.set('oauth_connected', { ok: true, message: `${name} is connected${accountLabel(row.account)}.` });

  const fresh = await ensureFreshToken(deps, platform, integrationId, credentials, version);
  outcomes.set('token_fresh', fresh.outcome);

  let probe: ConnectionProbe | null = null;
  if (!fresh.outcome.ok && fresh.outcome.verdict === 'reconnect_required') {
    outcomes.set('test_call', { ok: false, message: 'Not checked: the credentials no longer work.', verdict: 'reconnect_required' });
  } else {
    try {
      const answer = await probeConnection(platform, { integrationId, displayName: row.displayName, account: row.account, tokens: deps.credentials.tokenProvider(integrationId, platform) });
      probe = answer;
      outcomes.set('test_call', { ok: true, message: `${platform.displayName} answered for "${answer.accountName}".` });
    } catch (error) {
      outcomes.set('test_call', outcomeOfError(error, platform));
    }
  }

  // The platform's live answer wins over what was granted at connect time.
  const granted = probe?.grantedScopes ?? fresh.credentials.scopes;
  const missing = platform.requiredScopes.filter((scope) => !granted.includes(scope));
  const testOutcome = outcomes.get('test_call');
  if (missing.length > 0) {
    outcomes.set('scopes_granted', { ok: false, message: missingScopesMessage(missing), verdict: 'reconnect_required' });
  } else if (testOutcome && !testOutcome.ok && testOutcome.missingScopes) {
    outcomes.set('scopes_granted', testOutcome);
  } else {
    outcomes.set('scopes_granted', { ok: true, message: `All required permissions are granted (${platform.requiredScopes.join(', ')}).` });
  }
  if (platform.role === 'commerce' && deps.publicBaseUrl) outcomes.set('webhooks_subscribed', await webhooksOutcome(deps, integrationId, platform, probe));
  if (platform.role === 'commerce' && deps.orderPolling) outcomes.set('polling_scheduled', await pollingOutcome(deps, deps.orderPolling, integrationId));
  return { ...finish(outcomes), grantGeneration: row.grantGeneration };
}

/** The safety net under webhooks: a store whose poll schedule is missing gets it back here. */
async function pollingOutcome(deps: HealthCheckDeps, orderPolling: OrderPollRuntime, integrationId: string): Promise<Outcome> {
  try {
    const repair = await keepStorePollSchedule({ db: deps.db, platforms: deps.platforms, orderPolling }, integrationId);
    return { ok: true, message: repair ? describePollSchedule(repair, orderPolling.orderPollIntervalMs) : 'No polling needed.' };
  } catch (error) {
    return { ok: false, message: `The polling schedule could not be checked, so an order whose webhook is lost would not be caught: ${(error as Error).message}`, verdict: 'error' };
  }
}

/** A shop that does not send us its orders is not healthy, whatever else works: checked, and repaired where it can be. */
async function webhooksOutcome(deps: HealthCheckDeps, integrationId: string, platform: Platform, probe: ConnectionProbe | null): Promise<Outcome> {
  if (!probe) return { ok: false, message: 'Not checked: the test call failed.', verdict: 'error' };
  try {
    const repair = await keepCommerceWebhooks({ ...deps, publicBaseUrl: deps.publicBaseUrl! }, integrationId);
    if (!repair) return { ok: true, message: 'No webhooks needed.' };
    const described = describeRepair(repair, platform.displayName);
    return described.ok ? { ok: true, message: described.message } : { ok: false, message: described.message, verdict: 'error' };
  } catch (error) {
    const outcome = outcomeOfError(error, platform);
    return outcome.ok ? outcome : { ...outcome, message: `The shop's webhook subscriptions could not be checked: ${outcome.message}` };
  }
}

async function ensureFreshToken(
  deps: HealthCheckDeps,
  platform: Platform,
  integrationId: string,
  credentials: IntegrationCredentials,
  version: number,
): Promise<{ outcome: Outcome; credentials: IntegrationCredentials }> {
  if (!credentials.accessTokenExpiresAt) return { outcome: { ok: true, message: 'The access token does not expire.' }, credentials };
  const expiresAt = Date.parse(credentials.accessTokenExpiresAt);
  if (!isDueForRefresh(credentials, REFRESH_AHEAD_MS)) {
    return { outcome: { ok: true, message: `The access token is valid until ${new Date(expiresAt).toISOString()}.` }, credentials };
  }
  if (!credentials.refreshToken) {
    return { outcome: { ok: false, message: EXPIRED_CREDENTIALS_MESSAGE, verdict: 'reconnect_required' }, credentials };
  }
  try {
    // Through the store: serialized with every other refresher, saved before it is used.
    const next = await deps.credentials.refresh(integrationId, platform, version);
    const until = next.accessTokenExpiresAt ? ` It is valid until ${new Date(Date.parse(next.accessTokenExpiresAt)).toISOString()}.` : '';
    return { outcome: { ok: true, message: `The access token was refreshed ahead of expiry.${until}` }, credentials: next };
  } catch (error) {
    return { outcome: outcomeOfError(error, platform), credentials };
  }
}

function probeConnection(platform: Platform, connection: PlatformConnection): Promise<ConnectionProbe> {
  return platform.role === 'commerce' ? platform.createSource(connection).checkConnection() : platform.createTarget(connection).checkConnection();
}

function outcomeOfError(error: unknown, platform: Platform): Outcome {
  if (error instanceof CredentialsInvalidError) {
    const message =
      error.problem === 'uninstalled'
        ? `The ${platform.displayName} app was uninstalled. Please reconnect your integration to install it again.`
        : error.problem === 'missing'
          ? error.message
          : EXPIRED_CREDENTIALS_MESSAGE;
    return { ok: false, message, verdict: 'reconnect_required' };
  }
  if (error instanceof MissingScopeError) {
    return { ok: false, message: missingScopesMessage(error.missingScopes), verdict: 'reconnect_required', missingScopes: error.missingScopes };
  }
  if (error instanceof PlatformError) return { ok: false, message: error.message, verdict: 'error' };
  return { ok: false, message: `${platform.displayName} could not be reached: ${(error as Error)?.message ?? String(error)}`, verdict: 'error' };
}

function missingScopesMessage(missing: readonly string[]): string {
  const names = missing.map((scope) => `"${scope}"`).join(', ');
  return `Missing permission ${names}. Please reconnect your integration and grant ${missing.length === 1 ? 'it' : 'them'}.`;
}

function accountLabel(account: Record<string, string>): string {
  // The platform's account identity (shop, company): the one value it keeps.
  const id = Object.values(account).find((value) => value !== '');
  return id ? ` (${id})` : '';
}

const ORDER: HealthCheckName[] = ['oauth_connected', 'token_fresh', 'scopes_granted', 'test_call', 'webhooks_subscribed', 'polling_scheduled'];

/** Credentials problems outrank outages: a person must act on them, an outage passes. */
function finish(outcomes: Map<HealthCheckName, Outcome>): HealthCheckRun {
  // webhooks_subscribed and polling_scheduled exist for shops only.
  const ran = ORDER.filter((check) => outcomes.has(check));
  const results: HealthCheckResult[] = ran.map((check) => {
    const outcome = outcomes.get(check)!;
    return { check, ok: outcome.ok, message: outcome.message };
  });
  const failures = ran.flatMap((check) => {
    const outcome = outcomes.get(check)!;
    return outcome.ok ? [] : [{ check, outcome }];
  });
  const decisive = failures.find((f) => !f.outcome.ok && f.outcome.verdict === 'reconnect_required') ?? failures[0];
  const verdict: HealthVerdict =
    !decisive || decisive.outcome.ok
      ? { status: 'connected', reason: null, check: null }
      : { status: decisive.outcome.verdict, reason: decisive.outcome.message, check: decisive.check };
  return { results, verdict, checkedAt: new Date().toISOString() };
}
