import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { saveOperator } from '../api/console/operator-accounts.js';
import { startOrderSync } from '../runtime/order-sync-starter.js';
import type { OrderSyncResult } from '../workflows/order-sync.js';
import { eventually, HealthHarness } from './integration-health-harness.js';
import { openConsoleBrowser, signIn, type ConsoleBrowser } from './support/console-browser.js';

const OPERATOR = { email: 'ops@example.com', password: 'correct horse battery staple' };

/**
 * The console in a real browser (Debian's Chromium through playwright-core), against the real API, Temporal,
 * the emulators and an SMTP server: sign in, watch a revoked ledger turn amber, follow the alert email's links
 * through sign-in, reconnect through the emulator's consent page, check health in place.
 */
describe('operator console in a browser: Integrations', () => {
  let h: HealthHarness;
  let browser: ConsoleBrowser;
  let page: Page;
  let shopify: { id: string; displayName: string };
  let qbo: { id: string; displayName: string };
  let routeId: string;
  let waitingWorkflowId: string;
  const row = (id: string) => page.locator(`tr[data-integration="${id}"]`);

  beforeAll(async () => {
    [h, browser] = await Promise.all([HealthHarness.start(), openConsoleBrowser()]);
    await saveOperator(h.db, OPERATOR.email, OPERATOR.password);
    shopify = await h.createIntegration('shopify');
    qbo = await h.createIntegration('qbo');
    await h.clickConnect(shopify.id);
    await h.clickConnect(qbo.id);
    await eventually(async () => (await h.row(qbo.id)).status === 'connected' && (await h.row(shopify.id)).status === 'connected', 'both connected');
    routeId = await h.createRoute(shopify.id, qbo.id);
    page = await browser.newPage();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('signs in (a wrong password is refused) and lands on the page it asked for', async () => {
    await page.goto(`${h.baseUrl}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
    await signIn(page, OPERATOR.email, 'not the password');
    await page.getByText('The email or the password is wrong.').waitFor();

    await signIn(page, OPERATOR.email, OPERATOR.password);
    expect(new URL(page.url()).pathname).toBe('/console/integrations');
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    const qboRow = row(qbo.id);
    expect(await qboRow.getByRole('rowheader').textContent()).toBe('QuickBooks Online #1');
    // The platform by its mark and, always, its name in words (the mark is hidden from screen readers).
    const platformCell = qboRow.locator('td[data-label="Platform"]');
    expect(await platformCell.locator('.platform-name').textContent()).toBe('QuickBooks Online');
    expect(await platformCell.locator('svg.platform-mark').getAttribute('aria-hidden')).toBe('true');
    expect(await platformCell.locator('svg.platform-mark text').textContent()).toBe('QB');
    expect(await row(shopify.id).locator('td[data-label="Platform"] .platform-name').textContent()).toBe('Shopify');
    // Colour is never the only signal: the badge says its word.
    expect(await qboRow.locator('.badge').textContent()).toBe('Connected');
    expect(await qboRow.locator('.badge').getAttribute('class')).toContain('badge-green');

    // On a phone the page fits the screen (rows become cards).
    await page.setViewportSize({ width: 375, height: 800 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('turns the ledger amber after its grant is revoked, and the alert email links open their pages after sign-in', async () => {
    h.smtp.clear();
    h.qbo.control.revokeGrant(h.realmId);
    const order = h.shopify.control.createOrder({ shop: h.shop, name: '#3001', lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }] });
    const { workflowId } = await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: order.id });

    // The open page updates itself (no reload): the row turns amber, with its word and reason.
    const amber = row(qbo.id).locator('.badge-amber', { hasText: 'Reconnect required' });
    await amber.waitFor({ timeout: 30_000 });
    expect(await row(qbo.id).locator('.reason').textContent()).toBe('Your credentials are invalid or expired. Please reconnect your integration.');

    const [incident] = await h.smtp.waitForMessages(1);
    const text = incident!.parsed.text ?? '';
    const orderLink = /Open Order #3001: (\S+)/.exec(text)?.[1];
    const reconnectLink = new RegExp(`Reconnect ${qbo.displayName}: (\\S+)`).exec(text)?.[1];
    expect(orderLink).toBe(`${h.baseUrl}/routes/${routeId}/orders/${order.id}`);
    expect(reconnectLink).toBeDefined();

    // A bookkeeper who is not signed in (another browser) clicks "Open Order #3001".
    const elsewhere = await openConsoleBrowser();
    try {
      const mailPage = await elsewhere.newPage();
      await mailPage.goto(orderLink!);
      expect(new URL(mailPage.url()).pathname).toBe('/console/sign-in');
      await signIn(mailPage, OPERATOR.email, OPERATOR.password);
      expect(new URL(mailPage.url()).pathname).toBe(`/console/routes/${routeId}/orders/${order.id}`);
      await mailPage.getByRole('heading', { name: 'Order #3001' }).waitFor();

      // The reconnect link is its own proof (signed, single use): it opens the connect page with its button.
      await mailPage.goto(reconnectLink!);
      await mailPage.getByRole('heading', { name: `Connect ${qbo.displayName}` }).waitFor();
      await mailPage.getByRole('button', { name: 'Continue to QuickBooks Online' }).waitFor();
    } finally {
      await elsewhere.close();
    }
    expect((await h.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
    waitingWorkflowId = workflowId;
  });

  it('reconnects through the emulator consent page and the row turns green; the waiting order books', async () => {
    const visited: string[] = [];
    page.on('request', (request) => visited.push(request.url()));
    await page.goto(`${h.baseUrl}/console/integrations`);
    await page.getByRole('button', { name: `Reconnect ${qbo.displayName}` }).click();
    await page.getByRole('heading', { name: `${qbo.displayName} is connected` }).waitFor();
    expect(visited.some((url) => url.startsWith(h.qbo.urls.authorizeEndpoint))).toBe(true);

    await page.getByRole('link', { name: `Open ${qbo.displayName} in the console` }).click();
    await page.locator('.health .badge-green', { hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    await page.goto(`${h.baseUrl}/console/integrations`);
    await row(qbo.id).locator('.badge-green', { hasText: 'Connected' }).waitFor({ timeout: 30_000 });
    const result: OrderSyncResult = await h.client.workflow.getHandle(waitingWorkflowId).result();
    expect(result.outcome).toBe('created');
    expect(h.qbo.control.documents(h.realmId, 'SalesReceipt')).toHaveLength(1);

    // The all-clear email's "View QuickBooks Online #1" link opens the integration's page.
    const subject = `${qbo.displayName} is connected again`;
    await eventually(async () => h.smtp.messages.some((message) => message.parsed.subject === subject), 'the all-clear email');
    const allClear = h.smtp.messages.find((message) => message.parsed.subject === subject);
    const viewLink = new RegExp(`View ${qbo.displayName}: (\\S+)`).exec(allClear!.parsed.text ?? '')?.[1];
    expect(viewLink).toBe(`${h.baseUrl}/integrations/${qbo.id}`);
    await page.goto(viewLink!);
    expect(new URL(page.url()).pathname).toBe(`/console/integrations/${qbo.id}`);
    await page.getByRole('heading', { name: qbo.displayName, exact: true }).waitFor();
    await page.getByRole('heading', { name: 'Status history' }).waitFor();
  });

  it('checks health in place: "Checking…", then the four results', async () => {
    await page.goto(`${h.baseUrl}/console/integrations`);
    // Hold the request until the page has said it is checking (a slow network, made certain).
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/console/integrations/${qbo.id}/check`, async (route) => {
      await held;
      await route.continue();
    });
    await page.getByRole('button', { name: `Check health of ${qbo.displayName}` }).click();
    const results = page.locator(`#check-${qbo.id}`);
    await results.getByText('Checking…').waitFor();
    release();
    await results.locator('[data-testid="check-outcome"]').waitFor({ timeout: 15_000 });
    const items = await results.locator('.checks li').allTextContents();
    expect(items).toHaveLength(4);
    expect(items.every((item) => item.includes('passed'))).toBe(true);
    expect(await results.locator('.badge').textContent()).toBe('Connected');
    await page.unroute(`**/console/integrations/${qbo.id}/check`);
  });

  it('disconnects and resumes from the row, and deletes after a confirmation that says what goes', async () => {
    await page.goto(`${h.baseUrl}/console/integrations`);
    await page.getByRole('button', { name: `Disconnect ${qbo.displayName}` }).click();
    await page.getByText('Disconnecting: the integration turns Disconnected, syncs wait, nothing is lost.').waitFor();
    await row(qbo.id).locator('.badge-grey', { hasText: 'Disconnected' }).waitFor({ timeout: 30_000 });
    await page.goto(`${h.baseUrl}/console/integrations`);
    await page.getByRole('button', { name: `Resume ${qbo.displayName}` }).click();
    await row(qbo.id).locator('.badge-green', { hasText: 'Connected' }).waitFor({ timeout: 30_000 });

    const spare = await h.createIntegration('qbo');
    await page.goto(`${h.baseUrl}/console/integrations`);
    await page.getByRole('link', { name: `Delete ${spare.displayName}` }).click();
    await page.getByRole('heading', { name: `Delete ${spare.displayName}?` }).waitFor();
    const confirmation = await page.locator('main').textContent();
    expect(confirmation).toContain('0 sync route(s)');
    expect(confirmation).toContain('0 order record(s)');
    expect(await h.row(spare.id)).toBeDefined();
    await page.getByRole('button', { name: `Delete ${spare.displayName} for good` }).click();
    await page.getByRole('heading', { name: `${spare.displayName} deleted` }).waitFor();
    await page.goto(`${h.baseUrl}/console/integrations`);
    expect(await row(spare.id).count()).toBe(0);
    expect(await row(qbo.id).count()).toBe(1);
  });

  it('refuses a form post without the CSRF token, and signs out', async () => {
    const forged = await page.request.post(`${h.baseUrl}/console/integrations/${qbo.id}/pause`, { form: { back: '/console/integrations' }, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    expect((await h.row(qbo.id)).status).toBe('connected');

    await page.goto(`${h.baseUrl}/console/integrations`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.pathname === '/console/sign-in');
    await page.goto(`${h.baseUrl}/console/integrations`);
    expect(new URL(page.url()).pathname).toBe('/console/sign-in');
  });
});
