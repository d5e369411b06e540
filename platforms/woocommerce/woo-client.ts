import { WooCommerceRestApi } from './rest-client-class.js';
import type { PlatformConnection } from '../platform.js';
import { unpackStoreKeys } from './store-keys.js';
import { translateWooError, type WooCallContext } from './woo-error-translation.js';

export interface WooResponse<T> {
  data: T;
  headers: Record<string, string | undefined>;
}

/** Calls one store's wc/v3 API through the official JS client, with the integration's keys; errors translated. */
export class WooClient {
  constructor(
    private readonly connection: PlatformConnection,
    private readonly timeoutMs: number,
  ) {}

  get storeUrl(): string {
    return this.connection.account.storeUrl ?? '';
  }

  async request<T>(method: 'get' | 'post' | 'put' | 'delete', endpoint: string, ctx: WooCallContext, options: { params?: Record<string, string | number | boolean>; data?: unknown } = {}): Promise<WooResponse<T>> {
    const token = await this.connection.tokens.getAccessToken();
    try {
      return await this.send<T>(token, method, endpoint, options);
    } catch (error) {
      const translated = translateWooError(error, ctx);
      if (translated.name !== 'CredentialsInvalidError') throw translated;
      // Another process may have reconnected the store meanwhile: its keys are worth one more try.
      const newer = await this.connection.tokens.refreshAfterRejection(token).catch(() => null);
      if (!newer || newer === token) throw translated;
      try {
        return await this.send<T>(newer, method, endpoint, options);
      } catch (again) {
        throw translateWooError(again, ctx);
      }
    }
  }

  private async send<T>(token: string, method: 'get' | 'post' | 'put' | 'delete', endpoint: string, options: { params?: Record<string, string | number | boolean>; data?: unknown }): Promise<WooResponse<T>> {
    const keys = unpackStoreKeys(token);
    const api = new WooCommerceRestApi({ url: this.storeUrl, consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret, version: 'wc/v3', timeout: this.timeoutMs });
    const params = Object.fromEntries(Object.entries(options.params ?? {}).map(([k, v]) => [k, String(v)]));
    const response =
      method === 'get' ? await api.get(endpoint, params)
      : method === 'delete' ? await api.delete(endpoint, params)
      : method === 'post' ? await api.post(endpoint, options.data ?? {}, params)
      : await api.put(endpoint, options.data ?? {}, params);
    return { data: response.data as T, headers: response.headers as Record<string, string | undefined> };
  }
}
