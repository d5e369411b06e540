import type { AccountingApi } from 'xero-node';
import type { AccessTokenProvider } from '../../domain/credentials.js';
import { RateLimitedError } from '../../domain/platform-errors.js';
import type { RequestLimiter } from '../../domain/request-limiter.js';
import { ledgerRequests, ledgerThrottled } from '../../observability/metrics.js';
import { createXeroClient, type XeroAppCredentials } from './xero-sdk-client.js';
import type { XeroEndpoints } from './xero-endpoints.js';
import { translateXeroFailure, xeroCredentialsRejected } from './xero-error-translation.js';
import { readXeroFailure } from './xero-failure.js';

export interface XeroApiOptions {
  app: XeroAppCredentials;
  endpoints: XeroEndpoints;
  tenantId: string;
  tokens: AccessTokenProvider;
  defaultRetryAfterMs?: number;
  /** Keeps every process within the organisation's limits (db/shared-request-limiter.ts in production). */
  limiter?: RequestLimiter;
}

/** Accounting API calls for one organisation through xero-node, with one refresh on 401 and errors translated. */
export class XeroApi {
  constructor(private readonly options: XeroApiOptions) {}

  get tenantId(): string {
    return this.options.tenantId;
  }

  /** One organisation at one API host: what per-organisation state (caches, limits) is keyed by. */
  get organisationKey(): string {
    return `${this.options.endpoints.accountingApiBasePath}|${this.options.tenantId}`;
  }

  /** Runs `call` with a fresh SDK client holding a valid token; `subject` names the call in messages. */
  async call<T>(subject: string, call: (api: AccountingApi, tenantId: string) => Promise<{ body: T }>): Promise<T> {
    let token = await this.options.tokens.getAccessToken();
    let outcome = await this.attempt(call, token);
    if (!outcome.ok && outcome.failure.status === 401) {
      const refreshed = await this.options.tokens.refreshAfterRejection(token);
      if (refreshed === null) throw xeroCredentialsRejected(outcome.failure);
      token = refreshed;
      outcome = await this.attempt(call, token);
    }
    if (outcome.ok) return outcome.body;
    const error = translateXeroFailure(
      outcome.failure,
      { subject, organisation: 'this organisation' },
      this.options.defaultRetryAfterMs ?? 60_000,
    );
    // Throttled: every process holds back from this organisation, not just the call that was refused.
    if (error instanceof RateLimitedError) await this.options.limiter?.pauseFor(this.organisationKey, error.retryAfterMs);
    throw error;
  }

  /** The SDK client with this integration's token, for identity calls (`/connections`). */
  sdkClient(accessToken: string) {
    return createXeroClient(this.options.app, this.options.endpoints, { accessToken });
  }

  get tokens(): AccessTokenProvider {
    return this.options.tokens;
  }

  private async attempt<T>(call: (api: AccountingApi, tenantId: string) => Promise<{ body: T }>, token: string) {
    const release = this.options.limiter ? await this.options.limiter.acquire(this.organisationKey) : null;
    const labels = { platform: 'xero', company: this.options.tenantId };
    ledgerRequests.inc(labels);
    try {
      const client = createXeroClient(this.options.app, this.options.endpoints, { accessToken: token });
      const { body } = await call(client.accountingApi, this.options.tenantId);
      return { ok: true as const, body };
    } catch (raw) {
      const failure = readXeroFailure(raw);
      if (failure.status === 429) ledgerThrottled.inc(labels);
      return { ok: false as const, failure };
    } finally {
      await release?.();
    }
  }
}
