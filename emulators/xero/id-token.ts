import { createHash, createSign, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

/** RS256-signed id_tokens, with the public key served as JWKS, so xero-node's `apiCallback` can verify them. */
export class IdTokenSigner {
  readonly keyId = `emulator-${randomUUID().slice(0, 8)}`;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  jwks(): { keys: Array<Record<string, unknown>> } {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.keyId, use: 'sig', alg: 'RS256' }] };
  }

  /** Claims as Xero's id_token carries them (notes §2: sub, xero_userid, global_session_id, email, names). */
  sign(claims: { issuer: string; audience: string; userId: string; nowSeconds: number; accessToken: string; lifetimeSeconds: number }): string {
    const header = { alg: 'RS256', kid: this.keyId, typ: 'JWT' };
    const digest = createHash('sha256').update(claims.accessToken).digest();
    const payload = {
      nbf: claims.nowSeconds,
      exp: claims.nowSeconds + claims.lifetimeSeconds,
      iss: claims.issuer,
      aud: claims.audience,
      iat: claims.nowSeconds,
      at_hash: digest.subarray(0, digest.length / 2).toString('base64url'),
      sid: randomUUID().replaceAll('-', ''),
      sub: claims.userId,
      auth_time: claims.nowSeconds,
      xero_userid: claims.userId,
      global_session_id: randomUUID().replaceAll('-', ''),
      preferred_username: `${claims.userId}@example.com`,
      email: `${claims.userId}@example.com`,
      given_name: 'Emulated',
      family_name: 'Owner',
    };
    const signingInput = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(this.privateKey).toString('base64url');
    return `${signingInput}.${signature}`;
  }
}
