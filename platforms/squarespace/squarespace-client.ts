import { CredentialsInvalidError } from '../../domain/platform-errors.js';
import type { PlatformConnection } from '../platform.js';
import { translateSquarespaceError, unreachable, type SquarespaceCallContext } from './error-translation.js';

/** Squarespace refuses requests without one and limits generic ones harder [C/S]: always ours. */
export const SQUARESPACE_USER_AGENT = 'ledgerbridge/1.0 (order-to-ledger sync)';

export interface SquarespaceClientOptions {
  apiBaseUrl: string;
  timeoutMs: number;
  /** How long a 429 waits: Squarespace's cool-down is one minute and it sends no Retry-After. */
  coolDownMs: number;
}

/** Calls one site's Commerce APIs with the integration's OAuth token; errors translated, one retry after a refresh. */
export class SquarespaceClient {
  constructor(
    private readonly connection: PlatformConnection,
    private readonly options: SquarespaceClientOptions,
  ) {}

  async request<T>(method: 'GET' | 'POST' | 'DELETE', path: string, ctx: SquarespaceCallContext, options: { query?: Record<string, string>; body?: unknown } = {}): Promise<T> {
    const token = await this.connection.tokens.getAccessToken();
    try {
      return await this.send<T>(token, method, path, ctx, options);
    } catch (error) {
      if (!(error instanceof CredentialsInvalidError)) throw error;
      // An access token lives 30 minutes: expired or replaced meanwhile, a refresh is worth one more try. A refused
      // refresh (the grant is gone) says so itself; a token endpoint that is down is an outage, not a reconnect.
      const newer = await this.connection.tokens.refreshAfterRejection(token);
      if (!newer || newer === token) throw error;
      return this.send<T>(newer, method, path, ctx, options);
    }
  }

  private async send<T>(token: string, method: string, path: string, ctx: SquarespaceCallContext, options: { query?: Record<string, string>; body?: unknown }): Promise<T> {
    const url = new URL(path, this.options.apiBaseUrl);
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'user-agent': SQUARESPACE_USER_AGENT,
          accept: 'application/json',
          ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      throw unreachable(error, ctx);
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw translateSquarespaceError(response.status, text, response.headers.get('retry-after'), ctx, this.options.coolDownMs);
    if (response.status === 204 || !text) return undefined as T;
    return JSON.parse(text) as T;
  }
}
