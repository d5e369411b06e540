import path from 'node:path';

export const DEFAULT_MAIL_FROM = 'ledgerbridge <alerts@ledgerbridge.local>';
export const DEFAULT_OUTBOX_DIR = './outbox';

/** Where mail goes: a real SMTP server, or .eml files in a directory for development and demos. */
export type MailDelivery = { kind: 'smtp'; url: string } | { kind: 'outbox'; dir: string };

export interface MailConfig {
  from: string;
  delivery: MailDelivery;
}

/**
 * SMTP_URL (smtp://host:port or smtps://user:pass@host) sends through that server; without it,
 * messages are written to MAIL_OUTBOX_DIR (default ./outbox) so nothing needs a mail server to run.
 */
export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): MailConfig {
  const from = env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM;
  const smtpUrl = env.SMTP_URL?.trim();
  if (smtpUrl) {
    let protocol: string;
    try {
      protocol = new URL(smtpUrl).protocol;
    } catch {
      throw new Error(`SMTP_URL is not a URL: ${JSON.stringify(smtpUrl)}. Expected e.g. smtp://127.0.0.1:2525`);
    }
    if (protocol !== 'smtp:' && protocol !== 'smtps:') {
      throw new Error(`SMTP_URL must start with smtp:// or smtps://, got ${JSON.stringify(smtpUrl)}`);
    }
    return { from, delivery: { kind: 'smtp', url: smtpUrl } };
  }
  const dir = path.resolve(cwd, env.MAIL_OUTBOX_DIR?.trim() || DEFAULT_OUTBOX_DIR);
  return { from, delivery: { kind: 'outbox', dir } };
}
