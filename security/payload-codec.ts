import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import { failureConverterPath } from './failure-converter-path.js';
import type { EncryptionKeyring } from './keyring.js';

// @temporalio/proto is CommonJS: its namespace comes through the default export under Node's ESM loader.
const ProtoPayload = proto.temporal.api.common.v1.Payload;

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Distinct from the token key's use: the same keyring key never encrypts two kinds of data directly.
const HKDF_INFO = 'ledgerbridge temporal payload codec v1';

/** A Temporal payload that names a key this process no longer holds (retired, or never given to it). */
export class PayloadKeyNotFoundError extends Error {
  override readonly name = 'PayloadKeyNotFoundError';
  constructor(readonly keyId: string) {
    super(
      `A Temporal payload is encrypted under key id ${keyId}, which is not in this process's keyring ` +
        '(LEDGERBRIDGE_ENCRYPTION_KEY and LEDGERBRIDGE_DECRYPTION_KEYS). Add that key to LEDGERBRIDGE_DECRYPTION_KEYS to read it.',
    );
  }
}

/** An encrypted payload that does not open: altered, truncated, or sealed under another key with the same id. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
}

/**
 * Encrypts every Temporal payload (workflow and activity inputs and results, signals, queries, updates,
 * memos, failure details) with AES-256-GCM under the keyring's current key, and names the key id in the
 * payload metadata, so payloads sealed under a key being rotated out still open while that key is listed.
 * Payloads without the encrypted encoding (recorded histories, other SDKs' plain values) pass through.
 */
export class KeyringPayloadCodec implements PayloadCodec {
  private readonly keys: Map<string, Buffer>;
  private readonly currentId: string;

  constructor(keyring: EncryptionKeyring) {
    this.keys = new Map(keyring.keys.map((entry) => [entry.id, codecKeyOf(entry.key)]));
    this.currentId = keyring.current.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const key = this.keys.get(this.currentId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(associatedData(this.currentId));
      const sealed = Buffer.concat([iv, cipher.update(ProtoPayload.encode(payload).finish()), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from(this.currentId) },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]);
      if (!keyId) throw new PayloadDecryptionError(`An encrypted Temporal payload carries no ${KEY_ID_METADATA}.`);
      const key = this.keys.get(keyId);
      if (!key) throw new PayloadKeyNotFoundError(keyId);
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`An encrypted Temporal payload under key id ${keyId} is truncated.`);
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(associatedData(keyId));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      } catch {
        throw new PayloadDecryptionError(`An encrypted Temporal payload under key id ${keyId} does not open: it was altered or sealed with another key.`);
      }
      return ProtoPayload.decode(plain) as Payload;
    });
  }
}

/**
 * The data converter every Temporal client and worker of ledgerbridge uses: payloads encrypted, and failures'
 * messages and stack traces moved into an encrypted payload (a workflow bundle built ahead needs the same
 * failureConverterPath given to bundleWorkflowCode).
 */
export function encryptingDataConverter(keyring: EncryptionKeyring): DataConverter {
  return { payloadCodecs: [new KeyringPayloadCodec(keyring)], failureConverterPath };
}

function codecKeyOf(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), HKDF_INFO, 32));
}

// The key id is bound to the ciphertext: moving a payload's data under another id's label fails to open.
function associatedData(keyId: string): Buffer {
  return Buffer.from(`${ENCRYPTED_ENCODING};${keyId}`);
}

function text(value: Uint8Array | null | undefined): string | undefined {
  return value ? Buffer.from(value).toString('utf8') : undefined;
}
