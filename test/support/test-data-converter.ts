import { createKeyring } from '../../security/keyring.js';
import { encryptingDataConverter } from '../../security/payload-codec.js';

/**
 * The key every test client and worker encrypts Temporal payloads with, as production derives it from its
 * keyring: tests read each other's workflows on the shared dev server, so they share one key.
 */
export const TEST_PAYLOAD_KEY = Buffer.alloc(32, 7);
export const testKeyring = createKeyring(TEST_PAYLOAD_KEY);
export const testDataConverter = encryptingDataConverter(testKeyring);
