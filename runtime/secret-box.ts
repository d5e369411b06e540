import type { SecretBox } from '../db/credential-store.js';
import { decryptSecret, encryptSecret } from '../security/token-cipher.js';

/** Integration credentials sealed with AES-256-GCM; the context binds a sealed value to this use. */
export function secretBoxFromKey(key: Buffer): SecretBox {
  const context = 'integration-credentials';
  return {
    encrypt: (plain) => encryptSecret(plain, key, context),
    decrypt: (sealed) => decryptSecret(sealed, key, context),
  };
}
