import { ConfigError } from './config-error.js';

/** One JSON line per lifecycle event of a production process, beside the SDK's and Fastify's JSON logs. */
export function say(who: 'api' | 'worker', message: string): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'info', process: `ledgerbridge-${who}`, message })}\n`);
}

/** A configuration mistake ends the process with its plain message, not a stack trace. */
export function exitOnConfigError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError) && (error as Error).name !== 'EncryptionKeyError') throw error;
    process.stderr.write(`ledgerbridge: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
