import type { SecretBox } from '../db/credential-store.js';
import { decryptSecret, encryptSecret, TokenDecryptionError } from '../security/token-cipher.js';

/** The one context every credential was sealed with before ciphertexts were bound to their row. */
const LEGACY_CONTEXT = 'integration-credentials';

/** Integration credentials sealed with AES-256-GCM; the context binds a sealed value to its row and field. */
export function secretBoxFromKey(key: Buffer): SecretBox {
  return {
    encrypt: (plain, context) => encryptSecret(plain, key, context),
    decrypt: (sealed, context) => {
      try {
        return decryptSecret(sealed, key, context);
      } catch (error) {
        if (!(error instanceof TokenDecryptionError) || error.reason !== 'authentication-failed') throw error;
        // Written before row binding: readable until the next write (or `npm run rotate-key`) binds it.
        return decryptSecret(sealed, key, LEGACY_CONTEXT);
      }
    },
  };
}
