// `npm run rotate-key`: re-encrypts every stored token under LEDGERBRIDGE_ENCRYPTION_KEY, opening the old values
// with the keys in LEDGERBRIDGE_DECRYPTION_KEYS. The API and the worker keep running (README: Rotating the key).
import { resolve } from 'node:path';
import { resealAllCredentials } from '../db/credential-rotation.js';
import { openDatabase } from '../db/database.js';
import { secretBoxFromKeyring } from '../runtime/secret-box.js';
import { resolveEncryptionKey } from '../security/encryption-key.js';
import { createKeyring, decryptionKeysFromEnv } from '../security/keyring.js';

// The same database and key settings as runtime/app-config.ts; nothing else (no platform secrets) is needed here.
const env = process.env;
const dataDir = resolve(env.LEDGERBRIDGE_DATA_DIR ?? '.data');
const keyring = createKeyring(resolveEncryptionKey({ env, devKeyDir: dataDir }), decryptionKeysFromEnv(env));
const database = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { pgliteDir: resolve(dataDir, 'pglite') });
try {
  const report = await resealAllCredentials(database.db, secretBoxFromKeyring(keyring));
  process.stdout.write(`ledgerbridge: re-encrypted ${report.resealed} stored secret(s) under key ${keyring.current.id}; ${report.alreadyCurrent} already were.\n`);
  for (const failure of report.failed) process.stderr.write(`ledgerbridge: could not re-encrypt the ${failure.field} of integration ${failure.integrationId}: ${failure.message}\n`);
  if (report.failed.length > 0) {
    process.stderr.write('ledgerbridge: keep the old key(s) in LEDGERBRIDGE_DECRYPTION_KEYS until every value is re-encrypted.\n');
    process.exitCode = 1;
  } else {
    process.stdout.write('ledgerbridge: every stored secret is under the current key; the old key can be dropped from LEDGERBRIDGE_DECRYPTION_KEYS.\n');
  }
} finally {
  await database.close();
}
