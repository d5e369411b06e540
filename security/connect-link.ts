import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** How long a reconnect link in an email stays valid: long enough to be read the next working day. */
export const CONNECT_LINK_TTL_MS = 72 * 60 * 60_000;

export interface ConnectLinkClaims {
  integrationId: string;
  /** Random; spent once (connect_link_uses) when the link is used. */
  nonce: string;
  /** Epoch ms after which the link is refused. */
  expiresAt: number;
}

export type ConnectLinkRefusal = 'unsigned' | 'invalid' | 'other-integration' | 'expired';

export type ConnectLinkCheck = { ok: true; claims: ConnectLinkClaims } | { ok: false; reason: ConnectLinkRefusal };

/**
 * Signs and checks the links that let a person (re)connect an integration without the operator token:
 * "<claims>.<HMAC-SHA256>", both base64url. The HMAC key is derived from the encryption key, so the API
 * (which checks) and the worker (which emails) agree without another secret to configure.
 */
export class ConnectLinkSigner {
  private readonly keys: Buffer[];

  /** `keys[0]` signs; every key checks (links emailed before a key rotation keep working until they expire). */
  constructor(
    encryptionKeys: Buffer | readonly Buffer[],
    readonly ttlMs: number = CONNECT_LINK_TTL_MS,
  ) {
    const list = Array.isArray(encryptionKeys) ? encryptionKeys : [encryptionKeys as Buffer];
    if (list.length === 0) throw new Error('ConnectLinkSigner needs a key');
    this.keys = list.map((key) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'ledgerbridge connect links v1', 32)));
  }

  sign(integrationId: string, now: number = Date.now()): { token: string; claims: ConnectLinkClaims } {
    const claims: ConnectLinkClaims = { integrationId, nonce: randomBytes(16).toString('base64url'), expiresAt: now + this.ttlMs };
    const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return { token: `${body}.${mac(this.keys[0]!, body).toString('base64url')}`, claims };
  }

  /**
   * The full link a person opens: `<publicBaseUrl>/integrations/<id>/<page>?link=<token>`; `page` is "connect" (the
   * OAuth connect page), or the platform's own (`connectPageOf`: QuickBooks Desktop's Web Connector login).
   */
  url(publicBaseUrl: string, integrationId: string, now?: number, page: string = CONNECT_PAGE): string {
    const { token } = this.sign(integrationId, now);
    return `${connectPath(publicBaseUrl, integrationId, page)}?link=${token}`;
  }

  check(token: string, integrationId: string, now: number = Date.now()): ConnectLinkCheck {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]+$/.test(signature)) {
      return { ok: false, reason: 'invalid' };
    }
    const given = Buffer.from(signature, 'base64url');
    const genuine = this.keys.some((key) => {
      const expected = mac(key, body);
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
    if (!genuine) return { ok: false, reason: 'invalid' };
    let claims: ConnectLinkClaims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as ConnectLinkClaims;
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (typeof claims.integrationId !== 'string' || typeof claims.nonce !== 'string' || typeof claims.expiresAt !== 'number') return { ok: false, reason: 'invalid' };
    if (claims.integrationId !== integrationId) return { ok: false, reason: 'other-integration' };
    if (now >= claims.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, claims };
  }
}

/** The generic connect page (OAuth consent), under /integrations/<id>/. */
export const CONNECT_PAGE = 'connect';

export function connectPath(publicBaseUrl: string, integrationId: string, page: string = CONNECT_PAGE): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/integrations/${encodeURIComponent(integrationId)}/${page}`;
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body, 'utf8').digest();
}
