import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QbdCompanyEmulator } from '../emulators/qbd/company-emulator.js';
import { WebConnectorEmulator } from '../emulators/qbd/web-connector.js';
import { startOrderSync } from '../runtime/order-sync-starter.js';
import type { HealthCheckOutcome } from '../workflows/integration-health.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { TestBrowser } from './support/browser.js';
import { eventually, HealthHarness } from './integration-health-harness.js';
import { QBD_TEST_SHOP_CURRENCY } from './support/qbd-test-company.js';

/**
 * QuickBooks Desktop has no OAuth: the reconnect link in an alert email leads to its own page, which makes a new
 * Web Connector login. Followed as a person would, from the email the SMTP server received.
 */
describe('integration health: QuickBooks Desktop reconnects from the email', () => {
  let h: HealthHarness;
  let connector: WebConnectorEmulator | null = null;
  const company = new QbdCompanyEmulator({
    company: {
      companyName: 'Desk Shop LLC',
      companyFilePath: 'C:\\Company\\desk.qbw',
      items: [
        { name: 'MUG-1', price: '8.00', description: 'Mug' },
        { name: 'Shipping', price: '0.00' },
        { name: 'CA Sales Tax', type: 'SalesTax', price: '7.25' },
      ],
    },
  });
  beforeAll(async () => {
    h = await HealthHarness.start({ qbd: { requestWaitMs: 2_000 }, shopCurrency: QBD_TEST_SHOP_CURRENCY });
  }, 120_000);
  afterAll(async () => {
    await connector?.stop();
    await h?.close();
  });

  const receipts = (ref: string) => company.company.salesReceipts.filter((receipt) => receipt.refNumber === ref);

  it('a refused Web Connector turns Reconnect required; the emailed link makes a new login once; with it the integration is Connected and the waiting order books once', async () => {
    const shopify = await h.createIntegration('shopify');
    await h.clickConnect(shopify.id);
    const qbd = await h.createIntegration('qbd');
    expect(qbd.displayName).toBe('QuickBooks Desktop #1');
    const routeId = await h.createRoute(shopify.id, qbd.id);

    // First connect, by the operator: the login from the API, typed into the Web Connector.
    const first = (await h.api('POST', `/integrations/${qbd.id}/qbd/web-connector`)).json() as { userName: string; password: string };
    connector = new WebConnectorEmulator({ appUrl: h.qbdConfig!.webConnectorUrl, userName: first.userName, password: first.password, company, intervalMs: 150, noOpDelayMs: 50 });
    connector.start();
    await eventually(async () => (await h.row(qbd.id)).status === 'connected' && (await h.row(shopify.id)).status === 'connected', 'both connected');
    h.smtp.clear();

    // The password the Web Connector holds stops working (someone retyped it): its visits are refused.
    connector.setPassword('typed-wrong');
    await connector.nextRun((run) => run.outcome === 'invalid-user');
    const order = h.shopify.control.createOrder({ shop: h.shop, name: '#7001', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 2, unitPrice: '8.00' }] });
    const { workflowId } = await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: order.id });
    const outcome = (await h.api('POST', `/integrations/${qbd.id}/check`)).json() as HealthCheckOutcome;
    expect(outcome.status).toBe('reconnect_required');
    expect((await h.row(qbd.id)).status).toBe('reconnect_required');

    // The alert about it (an earlier one, sent before the first login, would carry the same kind of link).
    const email = await eventually(
      async () => h.smtp.messages.filter((message) => message.parsed.subject?.includes('QuickBooks Desktop #1') && /Reconnect/.test(message.parsed.text ?? '')).at(-1),
      'the reconnect email',
      30_000,
    );
    const text = email.parsed.text ?? '';
    // The link leads to QuickBooks Desktop's own page, not the OAuth connect page.
    const link = /(https?:\/\/\S+\/qbd\/web-connector-login\?link=[A-Za-z0-9_.-]+)/.exec(text)?.[1];
    expect(link?.startsWith(`${h.baseUrl}/integrations/${qbd.id}/qbd/web-connector-login?link=`)).toBe(true);
    expect(text).not.toContain(`/integrations/${qbd.id}/connect?`);

    // Opening it (or a mail scanner fetching it) changes nothing: a button.
    const person = new TestBrowser(new URL(h.baseUrl).origin);
    const landing = await person.open(link!);
    expect(landing.status).toBe(200);
    expect(landing.body).toContain('Create a new Web Connector login');
    expect((await person.open(link!)).status).toBe(200);
    const loginBefore = await h.api('GET', `/integrations/${qbd.id}/qbd/qwc`);
    expect(loginBefore.body).toContain(`<UserName>${first.userName}</UserName>`);

    const made = await person.submit(landing);
    expect(made.status).toBe(200);
    expect(made.body).toContain('QuickBooks Desktop #1: new Web Connector login');
    expect(made.body).toContain('Update Selected');
    const password = /<dd id="password">([^<]+)<\/dd>/.exec(made.body)?.[1];
    const userName = /<dd id="user-name">([^<]+)<\/dd>/.exec(made.body)?.[1];
    const qwcData = /href="data:application\/xml;base64,([^"]+)"/.exec(made.body)?.[1];
    expect(password && userName && qwcData).toBeTruthy();
    expect(userName).not.toBe(first.userName);
    const qwc = Buffer.from(qwcData!, 'base64').toString('utf8');
    expect(qwc).toContain(`<UserName>${userName}</UserName>`);
    expect(qwc).toContain(`<AppURL>${h.qbdConfig!.webConnectorUrl}</AppURL>`);

    // The link works once.
    const again = await person.submit(landing);
    expect(again.status).toBe(403);
    expect(again.body).toContain('already used');

    // The person adds the new .qwc and types the password: the Web Connector logs in with them.
    connector.addApplication(qwc, password!);
    await connector.nextRun((run) => run.outcome !== 'invalid-user' && run.outcome !== 'http-error');
    await eventually(async () => (await h.row(qbd.id)).status === 'connected', 'QuickBooks Desktop #1 connected again');
    const result = (await h.client.workflow.getHandle(workflowId).result()) as OrderSyncResult;
    expect(result.outcome).toBe('created');
    expect(receipts('7001')).toHaveLength(1);
    expect(receipts('7001')[0]).toMatchObject({ totalAmount: '16.00' });
  });
});
