/**
 * A real SMTP server on 127.0.0.1 for tests: whatever a Mailer sends to `server.url` arrives here,
 * parsed by mailparser, so tests assert on what a person's mail client would show.
 *
 *   const smtp = await startSmtpTestServer();
 *   const mailer = createMailer({ from: 'x <x@test>', delivery: { kind: 'smtp', url: smtp.url } });
 *   await mailer.send(...);
 *   const [email] = await smtp.waitForMessages(1);
 *   expect(email.parsed.subject).toContain('QuickBooks Online #1');
 *   await smtp.close();
 *
 * Plain SMTP only (no TLS, no STARTTLS, any or no login), on a random free port.
 * A message is stored before the server answers 250, so once `send()` resolves it is already in `messages`.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  /** SMTP envelope: who the client said it was sending from and to (includes Bcc recipients). */
  envelope: { from: string | null; to: string[] };
  /** The message as mail clients see it: subject, from/to, text, html, headers. */
  parsed: ParsedMail;
  /** The exact RFC 822 bytes received. */
  raw: Buffer;
}

export interface SmtpTestServerOptions {
  /** Answer 550 to RCPT TO for addresses this returns true for, to test partially rejected sends. */
  rejectRecipient?: (address: string) => boolean;
}

export interface SmtpTestServer {
  host: string;
  port: number;
  /** "smtp://127.0.0.1:<port>", ready for SMTP_URL. */
  url: string;
  /** Every message received since start (or the last `clear()`), oldest first. */
  readonly messages: readonly ReceivedEmail[];
  /**
   * Resolves with all messages once at least `count` have arrived (counting since start or `clear()`).
   * Rejects after `timeoutMs` (default 5000) with how many did arrive and their subjects.
   */
  waitForMessages(count: number, options?: { timeoutMs?: number }): Promise<ReceivedEmail[]>;
  /** Forgets received messages, e.g. between tests sharing one server. */
  clear(): void;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

export async function startSmtpTestServer(options: SmtpTestServerOptions = {}): Promise<SmtpTestServer> {
  const messages: ReceivedEmail[] = [];
  // Each waiter re-checks its own condition whenever a message arrives; no polling.
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const check of [...waiters]) check();
  };

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1_000,
    onRcptTo(address, _session, callback) {
      if (options.rejectRecipient?.(address.address)) {
        const error = new Error(`Mailbox ${address.address} does not exist`) as Error & { responseCode: number };
        error.responseCode = 550;
        callback(error);
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            const from = session.envelope.mailFrom;
            messages.push({
              envelope: { from: from ? from.address : null, to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
              parsed,
              raw,
            });
            callback();
            notify();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  const host = '127.0.0.1';

  return {
    host,
    port,
    url: `smtp://${host}:${port}`,
    get messages() {
      return messages;
    },
    waitForMessages(count, { timeoutMs = 5_000 } = {}) {
      return new Promise<ReceivedEmail[]>((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          finish();
          resolve([...messages]);
        };
        const timer = setTimeout(() => {
          finish();
          const subjects = messages.map((message) => JSON.stringify(message.parsed.subject ?? ''));
          reject(
            new Error(
              `Expected ${count} email(s) within ${timeoutMs} ms, got ${messages.length}` +
                (subjects.length > 0 ? `: ${subjects.join(', ')}` : ''),
            ),
          );
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    clear() {
      messages.length = 0;
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
