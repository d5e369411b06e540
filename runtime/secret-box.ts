import type { SecretBox } from '../db/credential-store.js';
import { createKeyring, type EncryptionKeyring } from '../security/keyring.js';
import { openWithKeyring, sealedKeyId, sealWithKeyring, TokenDecryptionError } from '../security/token-cipher.js';

/** The one context every credential was sealed with before ciphertexts were bound to their row (format v1). */
const LEGACY_CONTEXT = 'integration-credentials';

/**
 * Credentials sealed with AES-256-GCM under the keyring's current key, bound to their row and field and to
 * the key id. Values of any key in the ring open, so a rotation needs no downtime.
 */
export function secretBoxFromKeyring(keyring: EncryptionKeyring): SecretBox {
  return {
    encrypt: (plain, context) => sealWithKeyring(plain, keyring, context),
    decrypt: (sealed, context) => {
      try {
        return openWithKeyring(sealed, keyring, context);
      } catch (error) {
        if (sealedKeyId(sealed) !== null || !(error instanceof TokenDecryptionError) || error.reason !== 'authentication-failed') throw error;
        // v1, written before row binding: readable until the next write (or `npm run rotate-key`) binds it.
        return openWithKeyring(sealed, keyring, LEGACY_CONTEXT);
      }
    },
    isCurrent: (sealed) => sealedKeyId(sealed) === keyring.current.id,
  };
}

export function secretBoxFromKey(key: Buffer): SecretBox {
  return secretBoxFromKeyring(createKeyring(key));
}
