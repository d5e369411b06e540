import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { MailConfig } from './mail-config.js';
import { normalizeRecipients } from './recipient-list.js';

export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface SentEmail {
  messageId: string;
  /** Recipients the SMTP server refused while accepting the others; empty when all were accepted. */
  rejected: string[];
  /** Outbox mode only: the .eml file written. */
  file?: string;
}

export interface Mailer {
  /** Throws when nobody would receive the message or the server refuses it; never drops silently. */
  send(message: OutgoingEmail): Promise<SentEmail>;
  close(): Promise<void>;
}

export function createMailer(config: MailConfig): Mailer {
  return config.delivery.kind === 'smtp'
    ? createSmtpMailer(config.from, config.delivery.url)
    : createOutboxMailer(config.from, config.delivery.dir);
}

function createSmtpMailer(from: string, url: string): Mailer {
  const transport = nodemailer.createTransport({
    url,
    // Fail within seconds so the calling activity retries, instead of hanging on nodemailer's minutes-long defaults.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      const to = normalizeRecipients(message.to, message.subject);
      const info = await transport.sendMail({ from, to, subject: message.subject, text: message.text, html: message.html });
      return { messageId: info.messageId, rejected: info.rejected.map(addressText) };
    },
    async close() {
      transport.close();
    },
  };
}

function createOutboxMailer(from: string, dir: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(message) {
      const to = normalizeRecipients(message.to, message.subject);
      const info = await transport.sendMail({ from, to, subject: message.subject, text: message.text, html: message.html });
      if (!Buffer.isBuffer(info.message)) throw new Error('nodemailer stream transport did not return a buffer');
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, outboxFileName(new Date()));
      // Write then rename, so a person or test watching the outbox never opens half a message.
      const partial = `${file}.partial`;
      await writeFile(partial, info.message);
      await rename(partial, file);
      return { messageId: info.messageId, rejected: [], file };
    },
    async close() {
      transport.close();
    },
  };
}

/** "20240501T140301123Z-9f2c1a7e.eml": names sort in sending order. */
function outboxFileName(now: Date): string {
  const stamp = now.toISOString().replace(/[-:.]/g, '');
  return `${stamp}-${randomBytes(4).toString('hex')}.eml`;
}

function addressText(address: string | { address: string }): string {
  return typeof address === 'string' ? address : address.address;
}
