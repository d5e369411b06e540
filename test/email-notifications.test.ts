import { simpleParser } from 'mailparser';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { composeAllClearEmail } from '../notifications/all-clear-email.js';
import { composeDigestEmail } from '../notifications/digest-email.js';
import { composeIncidentEmail } from '../notifications/incident-email.js';
import { DEFAULT_MAIL_FROM, mailConfigFromEnv } from '../notifications/mail-config.js';
import { createMailer, type Mailer } from '../notifications/mail-transport.js';
import type { IncidentNotice } from '../notifications/notices.js';
import { InvalidRecipientError, NoRecipientsError } from '../notifications/recipient-list.js';
import { startSmtpTestServer, type SmtpTestServer } from './smtp-test-server.js';

const EXPIRED_MESSAGE = 'Your credentials are invalid or expired. Please reconnect your integration.';
const ORDER_URL = 'https://app.ledgerbridge.test/integrations/7/records/order/1001?tab=sync&from=email';
const RECONNECT_URL = 'https://app.ledgerbridge.test/integrations/7/reconnect';

function expiredCredentialsNotice(overrides: Partial<IncidentNotice> = {}): IncidentNotice {
  return {
    integrationName: 'QuickBooks Online #1',
    integrationStatus: 'Reconnect required',
    message: EXPIRED_MESSAGE,
    detail: 'QBO 401 AuthenticationFailed (intuit_tid=1-abc); refresh returned invalid_grant',
    record: { kind: 'order', label: 'Order #1001', url: ORDER_URL },
    reconnectUrl: RECONNECT_URL,
    occurredAt: '2024-05-01T14:03:27.512Z',
    ...overrides,
  };
}

function waitingOrders(count: number) {
  return Array.from({ length: count }, (_, index) => ({
    label: `Order #${1002 + index}`,
    url: `https://app.ledgerbridge.test/integrations/7/records/order/${1002 + index}`,
  }));
}

describe('notification emails over SMTP', () => {
  let smtp: SmtpTestServer;
  let mailer: Mailer;

  beforeAll(async () => {
    smtp = await startSmtpTestServer({ rejectRecipient: (address) => address.startsWith('nobody@') });
    mailer = createMailer(mailConfigFromEnv({ SMTP_URL: smtp.url }));
  });
  afterAll(async () => {
    await mailer.close();
    await smtp.close();
  });
  beforeEach(() => smtp.clear());

  it('incident email names the integration, the failed order, the message and both links', async () => {
    const sent = await mailer.send({ to: ['books@example.com'], ...composeIncidentEmail(expiredCredentialsNotice()) });

    const [email] = await smtp.waitForMessages(1);
    const { parsed, envelope } = email!;
    expect(parsed.messageId).toBe(sent.messageId);
    expect(envelope.to).toEqual(['books@example.com']);
    expect(parsed.from?.value).toEqual([{ name: 'ledgerbridge', address: 'alerts@ledgerbridge.local' }]);
    expect(parsed.subject).toBe('Reconnect required: QuickBooks Online #1 — Order #1001 did not sync');

    const text = parsed.text ?? '';
    expect(text).toContain(EXPIRED_MESSAGE);
    expect(text).toContain(`Open Order #1001: ${ORDER_URL}`);
    expect(text).toContain(`Reconnect QuickBooks Online #1: ${RECONNECT_URL}`);
    expect(text).toContain('Happened at: 2024-05-01 14:03 UTC');
    // Engineer detail comes last, after everything the bookkeeper needs.
    expect(text.indexOf('intuit_tid=1-abc')).toBeGreaterThan(text.indexOf(RECONNECT_URL));

    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html).toContain(EXPIRED_MESSAGE);
    expect(html).toContain(`href="${ORDER_URL.replaceAll('&', '&amp;')}"`);
    expect(html).toContain(`href="${RECONNECT_URL}"`);
    expect(html).toContain('>Open Order #1001</a>');
  });

  it('digest lists a few waiting orders with links and counts the rest', async () => {
    const records = waitingOrders(3);
    await mailer.send({
      to: ['books@example.com'],
      ...composeDigestEmail({ integrationName: 'QuickBooks Online #1', reconnectUrl: RECONNECT_URL, records, totalWaiting: 40 }),
    });

    const [email] = await smtp.waitForMessages(1);
    const { parsed } = email!;
    expect(parsed.subject).toBe('QuickBooks Online #1: 40 orders waiting to sync');
    const text = parsed.text ?? '';
    expect(text).toContain('and 37 more orders are waiting.');
    for (const record of records) expect(text).toContain(`${record.label}: ${record.url}`);
    expect(text).toContain(`Reconnect QuickBooks Online #1: ${RECONNECT_URL}`);
    const html = typeof parsed.html === 'string' ? parsed.html : '';
    expect(html).toContain('and 37 more orders are waiting.');
    expect(html).toContain(`<a href="${records[2]!.url}" style="color:#1a56db">Order #1004</a>`);
  });

  it('all-clear says the integration is connected again and how many orders resumed', async () => {
    await mailer.send({
      to: ['books@example.com'],
      ...composeAllClearEmail({
        integrationName: 'QuickBooks Online #1',
        resumedCount: 38,
        integrationUrl: 'https://app.ledgerbridge.test/integrations/7',
      }),
    });

    const [email] = await smtp.waitForMessages(1);
    expect(email!.parsed.subject).toBe('QuickBooks Online #1 is connected again');
    const text = email!.parsed.text ?? '';
    expect(text).toContain('QuickBooks Online #1 is Connected again.');
    expect(text).toContain('38 orders that were waiting have resumed syncing.');
    expect(text).toContain('View QuickBooks Online #1: https://app.ledgerbridge.test/integrations/7');
  });

  it('delivers to every configured recipient, once each', async () => {
    await mailer.send({
      to: ['books@example.com', 'Owner <owner@example.com>', 'BOOKS@example.com'],
      ...composeAllClearEmail({ integrationName: 'Shopify #1', resumedCount: 0, integrationUrl: 'https://app.test/i/1' }),
    });
    const [email] = await smtp.waitForMessages(1);
    expect(email!.envelope.to).toEqual(['books@example.com', 'owner@example.com']);
  });

  it('refuses to send with no recipients, and nothing reaches the server', async () => {
    const content = composeIncidentEmail(expiredCredentialsNotice());
    await expect(mailer.send({ to: [], ...content })).rejects.toThrow(NoRecipientsError);
    await expect(mailer.send({ to: ['  '], ...content })).rejects.toThrow(/no recipients/);
    await expect(mailer.send({ to: ['books.example.com'], ...content })).rejects.toThrow(InvalidRecipientError);

    // A send that does go through arrives alone: the refused ones never left.
    await mailer.send({ to: ['marker@example.com'], ...content });
    const received = await smtp.waitForMessages(1);
    expect(received.map((email) => email.envelope.to)).toEqual([['marker@example.com']]);
  });

  it('reports recipients the server refused instead of dropping them silently', async () => {
    const content = composeIncidentEmail(expiredCredentialsNotice());
    const sent = await mailer.send({ to: ['books@example.com', 'nobody@example.com'], ...content });
    expect(sent.rejected).toEqual(['nobody@example.com']);
    const [email] = await smtp.waitForMessages(1);
    expect(email!.envelope.to).toEqual(['books@example.com']);

    await expect(mailer.send({ to: ['nobody@example.com'], ...content })).rejects.toThrow(/nobody@example\.com/);
  });
});

describe('outbox delivery', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ledgerbridge-outbox-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('without SMTP_URL each message becomes a parseable .eml file in MAIL_OUTBOX_DIR', async () => {
    const outboxDir = path.join(dir, 'mail');
    const config = mailConfigFromEnv({ MAIL_OUTBOX_DIR: outboxDir, MAIL_FROM: 'Alerts <alerts@shop.test>' });
    expect(config).toEqual({ from: 'Alerts <alerts@shop.test>', delivery: { kind: 'outbox', dir: outboxDir } });
    const mailer = createMailer(config);

    const sent = await mailer.send({ to: ['books@example.com'], ...composeIncidentEmail(expiredCredentialsNotice()) });
    await mailer.close();

    const files = await readdir(outboxDir);
    expect(files).toEqual([path.basename(sent.file!)]);
    expect(files[0]).toMatch(/\.eml$/);
    const parsed = await simpleParser(await readFile(path.join(outboxDir, files[0]!)));
    expect(parsed.messageId).toBe(sent.messageId);
    expect(parsed.from?.value).toEqual([{ name: 'Alerts', address: 'alerts@shop.test' }]);
    expect(parsed.subject).toContain('QuickBooks Online #1');
    expect(parsed.text).toContain(`Open Order #1001: ${ORDER_URL}`);
  });

  it('refuses to write a message with no recipients', async () => {
    const mailer = createMailer({ from: DEFAULT_MAIL_FROM, delivery: { kind: 'outbox', dir } });
    await expect(mailer.send({ to: [], ...composeIncidentEmail(expiredCredentialsNotice()) })).rejects.toThrow(
      NoRecipientsError,
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it('reads delivery from the environment', () => {
    expect(mailConfigFromEnv({}, '/srv/app')).toEqual({
      from: DEFAULT_MAIL_FROM,
      delivery: { kind: 'outbox', dir: '/srv/app/outbox' },
    });
    expect(mailConfigFromEnv({ SMTP_URL: 'smtp://127.0.0.1:2525' }).delivery).toEqual({
      kind: 'smtp',
      url: 'smtp://127.0.0.1:2525',
    });
    expect(() => mailConfigFromEnv({ SMTP_URL: 'http://mail.test' })).toThrow(/smtp:\/\//);
  });
});

describe('email composition', () => {
  it('escapes names and messages in HTML and keeps them readable in text', () => {
    const email = composeIncidentEmail(
      expiredCredentialsNotice({
        integrationName: 'Tom & Jerry <Books>',
        message: 'Token "x" <b>revoked</b>',
        detail: '<script>alert(1)</script>',
      }),
    );
    expect(email.html).toContain('Tom &amp; Jerry &lt;Books&gt;');
    expect(email.html).toContain('Token &quot;x&quot; &lt;b&gt;revoked&lt;/b&gt;');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<Books>');
    expect(email.text).toContain('Token "x" <b>revoked</b>');
    expect(email.subject).toContain('Tom & Jerry <Books>');
  });

  it('keeps the subject on one line', () => {
    const email = composeIncidentEmail(expiredCredentialsNotice({ integrationName: 'QuickBooks\r\nBcc: evil@example.com' }));
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('incident without a failed record still gives the reconnect link and no record line', () => {
    const email = composeIncidentEmail(expiredCredentialsNotice({ record: null, detail: null }));
    expect(email.subject).toBe('Reconnect required: QuickBooks Online #1');
    expect(email.text).not.toContain('Open ');
    expect(email.text).not.toContain('Technical details');
    expect(email.text).toContain(`Reconnect QuickBooks Online #1: ${RECONNECT_URL}`);
  });

  it('digest wording agrees with the count', () => {
    const base = { integrationName: 'QuickBooks Online #1', reconnectUrl: RECONNECT_URL };
    expect(composeDigestEmail({ ...base, records: waitingOrders(1), totalWaiting: 2 }).text).toContain(
      'and 1 more order is waiting.',
    );
    const allListed = composeDigestEmail({ ...base, records: waitingOrders(2), totalWaiting: 2 });
    expect(allListed.text).not.toContain('more');
    expect(allListed.subject).toBe('QuickBooks Online #1: 2 orders waiting to sync');
    expect(
      composeDigestEmail({ ...base, records: [], totalWaiting: 5, recordKind: 'customer' }).text,
    ).toContain('and 5 more customers are waiting.');
  });

  it('rejects links that are not http(s)', () => {
    expect(() => composeIncidentEmail(expiredCredentialsNotice({ reconnectUrl: 'javascript:alert(1)' }))).toThrow(
      /reconnectUrl must be an http\(s\) URL/,
    );
    expect(() => composeIncidentEmail(expiredCredentialsNotice({ reconnectUrl: '/reconnect' }))).toThrow(
      /not an absolute URL/,
    );
  });
});

describe('smtp test server', () => {
  it('waitForMessages fails at its deadline saying how many arrived', async () => {
    const smtp = await startSmtpTestServer();
    try {
      await expect(smtp.waitForMessages(1, { timeoutMs: 50 })).rejects.toThrow(/Expected 1 email\(s\) within 50 ms, got 0/);
    } finally {
      await smtp.close();
    }
  });
});
