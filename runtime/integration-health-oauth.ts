import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, or, isNotNull } from 'drizzle-orm';
import type { CredentialStore } from '../db/credential-store.js';
import type { Database } from '../db/database.js';
import { recordIntegrationStatus } from '../db/integration-status-log.js';
import { integrations, oauthStates, pendingAccountSwitches } from '../db/schema.js';
import { clearLedgerMappingsOf } from '../db/ledger-mappings-reset.js';
import { accountFieldLabel } from '../platforms/installed.js';
import type { AccountChoice } from '../platforms/platform.js';
import type { PlatformRegistry } from '../platforms/registry.js';
import { keepCommerceWebhooks } from '../activities/commerce-webhook-keeper.js';
import { signalIntegrationHealth, type IntegrationHealthRuntime } from './integration-health-starter.js';

/** How long a person has between clicking "Connect" and coming back from the platform. */
export const OAUTH_STATE_TTL_MS = 15 * 60_000;
/** How long an operator has to confirm "switch to company X" after the platform sent another account back. */
export const ACCOUNT_SWITCH_TTL_MS = 15 * 60_000;

export class OAuthStateError extends Error {
  override readonly name = 'OAuthStateError';
}

export interface OAuthDeps {
  db: Database;
  platforms: PlatformRegistry;
  credentials: CredentialStore;
  health: IntegrationHealthRuntime;
  /** Our callback URL as registered with the platforms, e.g. "https://app.example.com/integrations/oauth/callback". */
  redirectUri: string;
  stateTtlMs?: number;
  switchTtlMs?: number;
  /** Our public origin: a shop's webhooks are subscribed to it on connect. */
  publicBaseUrl?: string;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/**
 * The callback's verdict: connected; the consent granted several accounts and the operator picks one; or another
 * account came back and an operator must confirm the switch.
 */
export type ConnectOutcome =
  | { kind: 'connected'; integrationId: string; displayName: string }
  | {
      kind: 'choice-required';
      integrationId: string;
      displayName: string;
      /** Single use; the operator's browser posts it back with the index of the account chosen. Only its hash is stored. */
      choiceToken: string;
      choices: AccountChoice[];
    }
  | {
      kind: 'switch-required';
      integrationId: string;
      displayName: string;
      /** Single use; the operator's browser posts it back to confirm. Only its hash is stored. */
      confirmToken: string;
      current: Record<string, string>;
      proposed: Record<string, string>;
    };

/** The platform's authorize URL for this integration, with a fresh single-use `state` stored for the callback. */
export async function beginConnect(deps: OAuthDeps, integrationId: string): Promise<string> {
  const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, integrationId));
  if (!row) throw new OAuthStateError(`There is no integration ${integrationId}.`);
  const platform = deps.platforms.get(row.platform);
  const state = randomBytes(24).toString('base64url');
  const now = Date.now();
  // Expired and used states are of no further use; keep the table small.
  await deps.db.delete(oauthStates).where(or(lt(oauthStates.expiresAt, new Date(now)), isNotNull(oauthStates.usedAt)));
  await deps.db.insert(oauthStates).values({ state, integrationId, expiresAt: new Date(now + (deps.stateTtlMs ?? OAUTH_STATE_TTL_MS)) });
  return platform.authorizeUrl(row.account, state, deps.redirectUri, grantUriFor(deps.redirectUri, platform.id));
}

/**
 * Where a platform posts the credentials of a consent server-to-server (WooCommerce's key grant): beside the OAuth
 * callback, named by platform ("…/integrations/oauth/grant/woocommerce").
 */
export function grantUriFor(redirectUri: string, platformId: string): string {
  return new URL(`grant/${encodeURIComponent(platformId)}`, redirectUri).toString();
}

export type GrantAnswer = 'accepted' | 'not_a_grant' | 'unknown_state';

/**
 * A platform posted the credentials of a consent (before the person's browser comes back to the callback): kept
 * encrypted with their state, for the callback that spends it. Only for a live, unspent state of an integration
 * of that platform; anything else is refused, and the platform then drops what it granted.
 */
export async function receiveGrant(deps: Pick<OAuthDeps, 'db' | 'platforms' | 'credentials'>, platformId: string, body: unknown): Promise<GrantAnswer> {
  let platform;
  try {
    platform = deps.platforms.get(platformId);
  } catch {
    return 'not_a_grant';
  }
  const grant = platform.acceptGrant?.(body) ?? null;
  if (!grant) return 'not_a_grant';
  const [row] = await deps.db
    .select({ integrationId: oauthStates.integrationId, platform: integrations.platform })
    .from(oauthStates)
    .innerJoin(integrations, eq(integrations.id, oauthStates.integrationId))
    .where(and(eq(oauthStates.state, grant.state), isNull(oauthStates.usedAt), gt(oauthStates.expiresAt, new Date()), isNull(oauthStates.grantedCredentials)));
  if (!row || row.platform !== platformId) return 'unknown_state';
  const [kept] = await deps.db
    .update(oauthStates)
    .set({ grantedCredentials: deps.credentials.sealPending(row.integrationId, grant.credentials) })
    .where(and(eq(oauthStates.state, grant.state), isNull(oauthStates.usedAt), isNull(oauthStates.grantedCredentials)))
    .returning({ state: oauthStates.state });
  return kept ? 'accepted' : 'unknown_state';
}

/**
 * The callback: spends the `state` (once, before expiry), lets the platform check its own signature and
 * exchange the code. The same account as before (or a first connect) stores the tokens encrypted and tells
 * the health workflow, which re-checks. Another account (a ledger company, a shop) changes nothing: the tokens
 * wait, encrypted, for an operator to confirm the switch (confirmAccountSwitch).
 */
export async function completeConnect(deps: OAuthDeps, query: Record<string, string>): Promise<ConnectOutcome> {
  if (query.error) throw new OAuthStateError(`The platform did not grant access (${safeErrorCode(query.error)}). Start again from "Connect".`);
  const state = query.state;
  if (!state) throw new OAuthStateError('The callback has no state parameter.');
  // One UPDATE decides: of two callbacks with the same state, exactly one gets the row.
  const [spent] = await deps.db
    .update(oauthStates)
    .set({ usedAt: new Date() })
    .where(and(eq(oauthStates.state, state), isNull(oauthStates.usedAt), gt(oauthStates.expiresAt, new Date())))
    .returning({ integrationId: oauthStates.integrationId, grantedCredentials: oauthStates.grantedCredentials });
  if (!spent) throw new OAuthStateError('This connect link was already used or has expired. Start again from "Connect".');
  const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, spent.integrationId));
  if (!row) throw new OAuthStateError('The integration was deleted while it was being connected.');
  const platform = deps.platforms.get(row.platform);
  const granted = spent.grantedCredentials ? deps.credentials.openPending(row.id, spent.grantedCredentials) : null;
  const { account, credentials, accountChoices } = await platform.completeAuthorization(query, deps.redirectUri, granted);
  if (accountChoices && accountChoices.length > 1) {
    // A reconnect whose grant still holds the integration's own account books there, without a question.
    const own = accountChoices.find((choice) => !isOtherAccount(row.account, choice.account) && Object.keys(row.account).length > 0);
    if (!own) {
      const choiceToken = randomBytes(24).toString('base64url');
      await deps.db.insert(pendingAccountSwitches).values({
        tokenHash: hashToken(choiceToken),
        integrationId: row.id,
        account: { [CHOICES_KEY]: JSON.stringify(accountChoices) },
        credentials: deps.credentials.sealPending(row.id, credentials),
        expiresAt: new Date(Date.now() + (deps.switchTtlMs ?? ACCOUNT_SWITCH_TTL_MS)),
      });
      return { kind: 'choice-required', integrationId: row.id, displayName: row.displayName, choiceToken, choices: accountChoices };
    }
    return settleAccount(deps, row, own.account, credentials);
  }
  return settleAccount(deps, row, account, credentials);
}

/**
 * A pending row that holds the accounts a consent granted, not one account to switch to: its `account` has this
 * key alone (no platform names an account field so), so a switch confirmation never takes it for a switch.
 */
const CHOICES_KEY = '$choices';

type IntegrationRow = typeof integrations.$inferSelect;

/** The account is known: the same as before (or a first connect) connects; another one waits for a confirmed switch. */
async function settleAccount(deps: OAuthDeps, row: IntegrationRow, account: Record<string, string>, credentials: Parameters<CredentialStore['save']>[1]): Promise<ConnectOutcome> {
  if (isOtherAccount(row.account, account)) {
    const confirmToken = randomBytes(24).toString('base64url');
    await deps.db.insert(pendingAccountSwitches).values({
      tokenHash: hashToken(confirmToken),
      integrationId: row.id,
      account,
      credentials: deps.credentials.sealPending(row.id, credentials),
      expiresAt: new Date(Date.now() + (deps.switchTtlMs ?? ACCOUNT_SWITCH_TTL_MS)),
    });
    return { kind: 'switch-required', integrationId: row.id, displayName: row.displayName, confirmToken, current: row.account, proposed: account };
  }
  await deps.db.update(integrations).set({ account: { ...row.account, ...account } }).where(eq(integrations.id, row.id));
  const grantGeneration = await deps.credentials.save(row.id, credentials);
  await subscribeToWebhooks(deps, row.id);
  await signalIntegrationHealth(deps.health, row.id, { name: 'credentialsUpdated', grantGeneration });
  return { kind: 'connected', integrationId: row.id, displayName: row.displayName };
}

/**
 * The operator picked one of the accounts a consent granted (`index` into the choices shown): spent once,
 * before expiry; then as any callback: connected, or another account than the integration had → a switch to confirm.
 */
export async function chooseAccount(deps: OAuthDeps, choiceToken: string, index: number): Promise<ConnectOutcome> {
  const [pending] = await deps.db
    .update(pendingAccountSwitches)
    .set({ usedAt: new Date() })
    .where(and(eq(pendingAccountSwitches.tokenHash, hashToken(choiceToken)), isNull(pendingAccountSwitches.usedAt), gt(pendingAccountSwitches.expiresAt, new Date())))
    .returning();
  const choices = pending ? choicesOf(pending.account) : null;
  if (!pending || !choices) throw new OAuthStateError('This choice was already made or has expired. Start again from "Connect".');
  const chosen = choices[index];
  if (!chosen) throw new OAuthStateError('That organisation is not among those you approved. Start again from "Connect".');
  const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, pending.integrationId));
  if (!row) throw new OAuthStateError('The integration was deleted while it was being connected.');
  return settleAccount(deps, row, chosen.account, deps.credentials.openPending(row.id, pending.credentials));
}

function choicesOf(account: Record<string, string>): AccountChoice[] | null {
  const stored = account[CHOICES_KEY];
  return stored === undefined ? null : (JSON.parse(stored) as AccountChoice[]);
}

/**
 * The operator confirmed "switch to company X": the integration takes the new account and tokens and is
 * paused in the same step, so no order (new or waiting) is booked into the new account before the operator
 * has checked its mappings and resumes it.
 */
export async function confirmAccountSwitch(
  deps: OAuthDeps,
  confirmToken: string,
): Promise<{ integrationId: string; displayName: string; previous: Record<string, string>; account: Record<string, string>; mappingsCleared: number }> {
  const [pending] = await deps.db
    .update(pendingAccountSwitches)
    .set({ usedAt: new Date() })
    .where(and(eq(pendingAccountSwitches.tokenHash, hashToken(confirmToken)), isNull(pendingAccountSwitches.usedAt), gt(pendingAccountSwitches.expiresAt, new Date())))
    .returning();
  if (!pending || choicesOf(pending.account)) throw new OAuthStateError('This switch was already confirmed or has expired. Start again from "Connect".');
  const [row] = await deps.db.select().from(integrations).where(eq(integrations.id, pending.integrationId));
  if (!row) throw new OAuthStateError('The integration was deleted while it was being connected.');
  const credentials = deps.credentials.openPending(row.id, pending.credentials);
  const account = { ...row.account, ...pending.account };
  // Paused before the new tokens exist: a sync that reads the row from now on waits instead of booking.
  await recordIntegrationStatus(deps.db, row.id, {
    status: 'disconnected',
    reason: `Switched to ${describeAccount(pending.account)}. Check this integration's mappings, then resume it.`,
    cause: `switched from ${describeAccount(row.account)} to ${describeAccount(pending.account)} by an operator`,
    check: null,
  });
  // Item and tax mappings name the old company's ids: kept, they would book into the new company's lists by id.
  // Its orders ask for mappings again instead.
  const mappingsCleared = await clearLedgerMappingsOf(deps.db, row.id);
  await deps.db.update(integrations).set({ account }).where(eq(integrations.id, row.id));
  await deps.credentials.save(row.id, credentials);
  // A switched shop needs our webhooks too; its orders wait for the resume like the rest.
  await subscribeToWebhooks(deps, row.id);
  await signalIntegrationHealth(deps.health, row.id, { name: 'pause' });
  await deps.db.delete(pendingAccountSwitches).where(or(lt(pendingAccountSwitches.expiresAt, new Date()), isNotNull(pendingAccountSwitches.usedAt)));
  return { integrationId: row.id, displayName: row.displayName, previous: row.account, account, mappingsCleared };
}

/** Another account came back: a key both know (a company, a shop) has another value. A first connect has none. */
export function isOtherAccount(current: Record<string, string>, returned: Record<string, string>): boolean {
  return Object.entries(returned).some(([key, value]) => current[key] !== undefined && current[key] !== '' && current[key] !== value);
}

/** "company 9130…", "shop other.myshopify.com": how pages and the status history name an account (labels from each platform's registration). */
export function describeAccount(account: Record<string, string>): string {
  const parts = Object.entries(account).map(([key, value]) => `${accountFieldLabel(key)} ${value}`);
  return parts.length > 0 ? parts.join(', ') : 'no account';
}

/**
 * A shop's orders reach us only through its webhooks. A failure here is not the end of connecting:
 * the health check that follows repairs the subscriptions or reports why it cannot.
 */
async function subscribeToWebhooks(deps: OAuthDeps, integrationId: string): Promise<void> {
  if (!deps.publicBaseUrl) return;
  await keepCommerceWebhooks({ ...deps, publicBaseUrl: deps.publicBaseUrl }, integrationId).catch((error: unknown) =>
    deps.log?.('subscribing to webhooks on connect failed; the health check will retry', { integrationId, error: String(error) }),
  );
}

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** OAuth error codes are short identifiers; anything else (a description, a body) is not shown. */
function safeErrorCode(code: string): string {
  return /^[a-z_]{1,40}$/i.test(code) ? code : 'error';
}
