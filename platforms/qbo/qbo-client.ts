import type { AccessTokenProvider } from '../../domain/credentials.js';
import { PlatformUnavailableError, RateLimitedError } from '../../domain/platform-errors.js';
import { parseQboFault } from './qbo-fault.js';
import { credentialsRejected, translateFailure, type FailedResponse } from './qbo-error-translation.js';
import type { RequestLimiter, RequestPriority } from '../../domain/request-limiter.js';
import { qboRequestId } from './request-id.js';
import { ledgerRequests, ledgerThrottled } from '../../observability/metrics.js';

export type QboEntity = Record<string, unknown>;

export interface QboClientOptions {
  /** `https://quickbooks.api.intuit.com` in production; the emulator's origin in tests. */
  apiBaseUrl: string;
  realmId: string;
  tokens: AccessTokenProvider;
  /** Values below 75 are ignored by QBO since 2025-08. */
  minorVersion?: number;
  /** Wait used when a 429 carries no Retry-After (Intuit documents "wait 60 s"). */
  defaultRetryAfterMs?: number;
  /** QBO cuts requests off at 120 s; we give up a little earlier. */
  timeoutMs?: number;
  /**
   * Keeps every process within the company's limits (db/shared-request-limiter.ts in production); without
   * one, nothing is held back and the company's throttles are the only brake.
   */
  limiter?: RequestLimiter;
}

export interface QboWriteOptions {
  /** The write's business identity; with a hash of the payload it makes the `requestid` (request-id.ts). */
  idempotencyKey: string;
  /** For messages: "sales receipt 1001". */
  subject: string;
  allowDuplicateDocNumber?: boolean;
}

interface SendOptions {
  method: 'GET' | 'POST';
  path: string;
  params?: Record<string, string>;
  body?: string;
  contentType?: string;
  subject: string;
  /** A write books something: it takes the company's next slot ahead of waiting lookups. */
  priority?: RequestPriority;
}

/** Accounting API v3 calls for one company, with one refresh on 401 and errors translated to platform errors. */
export class QboClient {
  private readonly base: string;
  private readonly minorVersion: number;
  private readonly defaultRetryAfterMs: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: QboClientOptions) {
    this.base = `${options.apiBaseUrl.replace(/\/+$/, '')}/v3/company/${encodeURIComponent(options.realmId)}`;
    this.minorVersion = options.minorVersion ?? 75;
    this.defaultRetryAfterMs = options.defaultRetryAfterMs ?? 60_000;
    this.timeoutMs = options.timeoutMs ?? 100_000;
  }

  get realmId(): string {
    return this.options.realmId;
  }

  /** One company at one API host: what per-company state (caches, limits) is keyed by. */
  get companyKey(): string {
    return `${this.options.apiBaseUrl}|${this.options.realmId}`;
  }

  /** Runs a query and returns its `QueryResponse` (an empty object when nothing matched). */
  async query(statement: string, subject = 'a lookup'): Promise<QboEntity> {
    const json = await this.send({ method: 'POST', path: '/query', body: statement, contentType: 'application/text', subject });
    return (json.QueryResponse ?? {}) as QboEntity;
  }

  /** GET /{entityPath}/{id}, unwrapped. */
  async read(entityPath: string, entityName: string, id: string, subject: string): Promise<QboEntity> {
    const json = await this.send({ method: 'GET', path: `/${entityPath}/${encodeURIComponent(id)}`, subject });
    return unwrap(json, entityName);
  }

  /**
   * POST /{entityPath}?requestid=… of an existing record (`Id`, its current `SyncToken`, `sparse: true`): QBO's
   * update is the create call with the record's identity in the body.
   */
  update(entityPath: string, entityName: string, entity: QboEntity & { Id: string; SyncToken: string; sparse: true }, write: QboWriteOptions): Promise<QboEntity> {
    return this.create(entityPath, entityName, entity, write);
  }

  /** POST /{entityPath}?requestid=…, unwrapped. */
  async create(entityPath: string, entityName: string, entity: QboEntity, write: QboWriteOptions): Promise<QboEntity> {
    const params: Record<string, string> = { requestid: qboRequestId(write.idempotencyKey, entity) };
    if (write.allowDuplicateDocNumber) params.include = 'allowduplicatedocnum';
    const json = await this.send({
      method: 'POST',
      path: `/${entityPath}`,
      params,
      body: JSON.stringify(entity),
      contentType: 'application/json',
      subject: write.subject,
      priority: 'write',
    });
    return unwrap(json, entityName);
  }

  async companyInfo(): Promise<QboEntity> {
    return this.read('companyinfo', 'CompanyInfo', this.options.realmId, 'the connection check');
  }

  async preferences(): Promise<QboEntity> {
    return unwrap(await this.send({ method: 'GET', path: '/preferences', subject: 'the preferences lookup' }), 'Preferences');
  }

  private async send(request: SendOptions): Promise<QboEntity> {
    let token = await this.options.tokens.getAccessToken();
    let answer = await this.exchange(request, token);
    if (answer.status === 401) {
      const refreshed = await this.options.tokens.refreshAfterRejection(token);
      if (refreshed === null) throw credentialsRejected(failed(answer));
      token = refreshed;
      answer = await this.exchange(request, token);
    }
    const json = parseJson(answer.text);
    const failure: FailedResponse = { ...failed(answer), fault: parseQboFault(answer.text, json) };
    if (answer.status === 401) throw credentialsRejected(failure);
    // A Fault can come with HTTP 200; treat it as the 400 it means.
    const ok = answer.status >= 200 && answer.status < 300;
    if (ok && failure.fault === null && json !== null && typeof json === 'object') return json as QboEntity;
    if (ok && failure.fault !== null) failure.status = 400;
    if (ok) {
      throw new PlatformUnavailableError(answer.status, 'QuickBooks Online answered with something that is not JSON; the work will be retried.', answer.text.slice(0, 500));
    }
    const error = translateFailure(failure, request, this.defaultRetryAfterMs);
    // Throttled: every process holds back from this company, not just the request that was refused.
    if (error instanceof RateLimitedError) await this.options.limiter?.pauseFor(this.companyKey, error.retryAfterMs);
    throw error;
  }

  /** One request and its whole answer, inside a slot of the company's limits. */
  private async exchange(request: SendOptions, token: string): Promise<Answer> {
    const release = this.options.limiter ? await this.options.limiter.acquire(this.companyKey, request.priority ?? 'read') : null;
    try {
      const response = await this.fetchOnce(request, token);
      const text = await this.readBody(response, request);
      return { status: response.status, headers: response.headers, text };
    } finally {
      await release?.();
    }
  }

  private async fetchOnce(request: SendOptions, token: string): Promise<Response> {
    const company = { platform: 'qbo', company: this.options.realmId };
    ledgerRequests.inc(company);
    const url = new URL(`${this.base}${request.path}`);
    for (const [key, value] of Object.entries(request.params ?? {})) url.searchParams.set(key, value);
    url.searchParams.set('minorversion', String(this.minorVersion));
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (request.contentType) headers['Content-Type'] = request.contentType;
    try {
      const response = await fetch(url, {
        method: request.method,
        headers,
        body: request.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (response.status === 429) ledgerThrottled.inc(company);
      return response;
    } catch (error) {
      throw unreachable(request, error);
    }
  }

  private async readBody(response: Response, request: SendOptions): Promise<string> {
    try {
      return await response.text();
    } catch (error) {
      throw unreachable(request, error);
    }
  }
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/** Network errors, timeouts and connections dropped mid-answer: the write may or may not have happened. */
function unreachable(request: SendOptions, error: unknown): PlatformUnavailableError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = [(error as Error).name, (error as Error).message, cause?.code, cause?.message].filter(Boolean).join(': ');
  return new PlatformUnavailableError(
    null,
    `QuickBooks Online did not answer while handling ${request.subject}; the work will be retried.`,
    `${request.method} ${request.path}: ${reason}`,
  );
}

function failed(answer: Answer): FailedResponse {
  return {
    status: answer.status,
    retryAfter: answer.headers.get('retry-after'),
    intuitTid: answer.headers.get('intuit_tid'),
    body: answer.text,
    fault: parseQboFault(answer.text, parseJson(answer.text)),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function unwrap(json: QboEntity, entityName: string): QboEntity {
  const entity = json[entityName];
  if (entity === null || typeof entity !== 'object') {
    throw new PlatformUnavailableError(200, `QuickBooks Online's answer had no ${entityName}; the work will be retried.`, JSON.stringify(json).slice(0, 500));
  }
  return entity as QboEntity;
}
