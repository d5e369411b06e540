import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openChromium, type ChromiumSession } from '../scripts/chromium-browser.js';
import { freePort, startDevServer, type RunningDevServer } from '../scripts/temporal-dev-server.js';
import { temporalUiCodecWiring, type TemporalUiCodecWiring } from '../scripts/temporal-ui-codec.js';
import { orderSyncWorkflowId } from '../runtime/order-sync-starter.js';
import { allSearchAttributeKeys } from '../workflows/search-attributes.js';
import { eventually, OPERATOR_TOKEN, SyncHarness } from './support/sync-harness.js';

const CUSTOMER = { firstName: 'Ada', lastName: 'Lovelace', email: 'ada.lovelace@example.org' };
const NOTE = 'Leave it with the porter at Ockham Park';
/** Words of the customer that only a decrypted payload shows. */
const PERSONAL = [CUSTOMER.lastName, CUSTOMER.email, 'Ockham Park'];
/** The parked order's failure message, which the failure converter moves into an encrypted payload. */
const FAILURE_WORDS = 'matches no item in QuickBooks Online #1';

/**
 * Temporal UI in a real browser, as an operator uses it: a dev server with its UI wired to our API's codec
 * endpoint as `npm start` wires it, a worker booking real orders, and the README's steps for a session.
 * Without the session the UI shows ciphertext only; with it, the customer and the failure message.
 */
describe('Temporal UI decrypts payloads through the codec endpoint for operators only', () => {
  let server: RunningDevServer;
  let harness: SyncHarness;
  let browser: ChromiumSession;
  let page: Page;
  let wiring: TemporalUiCodecWiring;
  let bookedUrl: string;
  let parkedUrl: string;
  /** HTTP statuses of the codec calls the page made since the last `codecCalls.length = 0`. */
  const codecCalls: number[] = [];

  const workflowPage = async (workflowId: string) => {
    const { runId } = await harness.handle(workflowId).describe();
    return `${server.uiUrl}/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
  };
  const inputPanel = () => page.getByTestId('input-and-result');
  /** The UI's codec status in its top bar, red once a decode was refused. */
  const codecFailed = () => page.getByRole('button', { name: 'Codec Server could not connect' });
  /** Opens every row of the event history that `rowText` names (the UI then shows its payloads in full). */
  const expandRows = async (rowText: string) => {
    const rows = page.getByTestId('event-summary-row').filter({ hasText: rowText });
    await rows.first().waitFor();
    for (const row of await rows.all()) await row.click();
  };
  /** The opened activity whose type is `activityType`: the scheduled event's input and the outcome. */
  const openedActivity = (activityType: string) => page.getByTestId('event-summary-row-expanded').filter({ hasText: activityType });
  /** A codec call from the page's own origin, as the UI makes it (JSON and X-Namespace: a CORS preflight first). */
  const decodeFromPage = (on: Page, endpoint: string) =>
    on.evaluate(async (url) => {
      try {
        const response = await fetch(`${url}/decode`, {
          method: 'POST',
          credentials: 'include',
          headers: { 'content-type': 'application/json', 'x-namespace': 'default' },
          body: JSON.stringify({ payloads: [] }),
        });
        return { status: response.status };
      } catch (error) {
        return { blocked: String(error) };
      }
    }, endpoint);

  beforeAll(async () => {
    // The shared dev server is headless: this file runs its own with the UI, told the API's address before it listens.
    const [apiPort, uiPort] = await Promise.all([freePort(), freePort()]);
    wiring = temporalUiCodecWiring(`http://127.0.0.1:${apiPort}`, uiPort);
    server = await startDevServer({ uiPort, uiCodecEndpoint: wiring.uiCodecEndpoint, searchAttributes: allSearchAttributeKeys, readinessTimeoutMs: 120_000 });
    // Tall enough that the UI's codec settings drawer fits above its sticky top bar.
    [harness, browser] = await Promise.all([
      SyncHarness.start({ temporalAddress: server.address, workflowBundlePath: inject('workflowBundlePath'), apiPort, temporalUiOrigins: wiring.uiOrigins }),
      openChromium({ viewport: { width: 1280, height: 1400 } }),
    ]);
    const booked = harness.shopify.control.createOrder({
      name: '#3301',
      currency: 'GBP',
      email: CUSTOMER.email,
      note: NOTE,
      customer: CUSTOMER,
      lineItems: [{ title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00' }],
    });
    expect((await harness.syncResultOf(booked.id)).outcome).toBe('created');
    const parked = harness.shopify.control.createOrder({ name: '#3302', lineItems: [{ title: 'Secret Mug', sku: 'MUG-SECRET', quantity: 1, unitPrice: '8.00' }] });
    await eventually(async () => (await harness.orderRow(parked.id))?.lastErrorCode === 'SkuNotFound', 'the second order to wait on its SKU');
    bookedUrl = await workflowPage(orderSyncWorkflowId(harness.routeId, booked.id));
    parkedUrl = await workflowPage(orderSyncWorkflowId(harness.routeId, parked.id));
    page = await browser.newPage();
    page.on('response', (response) => {
      if (response.url().startsWith(`${wiring.uiCodecEndpoint}/`)) codecCalls.push(response.status());
    });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await harness?.close();
    await server?.stop();
  });

  it('without the operator session the UI shows ciphertext only: the endpoint refuses it after a passing CORS preflight', async () => {
    codecCalls.length = 0;
    await page.goto(bookedUrl);
    await codecFailed().waitFor();
    await inputPanel().getByText('"encryption-key-id"').first().waitFor();
    await expandRows('Activity Task Completed');
    // The order as fetched from the shop: its payload opened, still sealed.
    await openedActivity('fetchOrder').getByText('"encryption-key-id"').first().waitFor();
    const shown = await page.innerText('main');
    for (const words of [...PERSONAL, '"routeId"']) expect(shown, words).not.toContain(words);
    expect(codecCalls.length).toBeGreaterThan(0);
    expect(new Set(codecCalls)).toEqual(new Set([401]));

    // The failure the parked order met: the UI has only the converter's placeholder.
    await page.goto(parkedUrl);
    await expandRows('Activity Task Failed');
    await openedActivity('mapOrderLines').getByText('"Encoded failure"').first().waitFor();
    expect(await page.innerText('main')).not.toContain(FAILURE_WORDS);

    // The browser's CORS preflight from the UI's origin passes; the call itself is refused.
    expect(await decodeFromPage(page, wiring.uiCodecEndpoint)).toEqual({ status: 401 });
  });

  it("an operator who follows the README's steps sees the customer decrypted in the workflow's history", async () => {
    // README, "Reading them in Temporal UI": sign in once at <API>/codec/session with the operator token…
    await page.goto(`${harness.apiOrigin}/codec/session`);
    await page.getByLabel('Operator token').fill(OPERATOR_TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Signed in' }).waitFor();

    // …then in Temporal UI's Codec Server settings: the browser setting, the API's /codec, credentials included.
    await page.goto(bookedUrl);
    await codecFailed().click();
    await page.getByRole('button', { name: 'Use Cluster-level setting, where available.' }).click();
    await page.getByLabel('Use my browser setting and ignore Cluster-level setting.').check();
    await page.getByLabel('Codec Server browser endpoint').fill(wiring.uiCodecEndpoint);
    // The switch is a visually hidden checkbox under a styled track: toggled from the keyboard, as its label is covered.
    const credentials = page.getByRole('switch', { name: 'Include cross-origin credentials' });
    await credentials.press('Space');
    expect(await credentials.isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Apply' }).press('Enter');
    await page.getByRole('button', { name: 'Apply' }).waitFor({ state: 'hidden' });

    codecCalls.length = 0;
    await page.reload();
    await inputPanel().getByText('"routeId"').first().waitFor();
    expect(await inputPanel().innerText()).toContain(harness.routeId);
    await expandRows('Activity Task Completed');
    const fetched = openedActivity('fetchOrder');
    await fetched.getByText(CUSTOMER.lastName).first().waitFor();
    const shown = await fetched.innerText();
    for (const words of PERSONAL) expect(shown, words).toContain(words);
    expect(codecCalls.length).toBeGreaterThan(0);
    expect(new Set(codecCalls)).toEqual(new Set([200]));
    expect(await codecFailed().count()).toBe(0);
  });

  it("shows the parked order's failure message, encoded by the failure converter, decrypted to the operator", async () => {
    await page.goto(parkedUrl);
    await expandRows('Activity Task Failed');
    const failed = openedActivity('mapOrderLines');
    await failed.getByText(FAILURE_WORDS).first().waitFor();
    expect(await failed.innerText()).toContain('SKU \\"MUG-SECRET\\" matches no item');
  });

  it('the session opens the codec to the UI only: another page of the same site cannot read it', async () => {
    // Same site as the API (127.0.0.1), so the session cookie would go along; the codec's CORS lets no other origin read.
    const other = await browser.newPage();
    await other.goto(`${harness.shopify.origin}/`);
    expect(await decodeFromPage(other, wiring.uiCodecEndpoint)).toMatchObject({ blocked: expect.stringContaining('Failed to fetch') });
    await other.close();
    // The UI's own origin, with the session: decoded.
    expect(await decodeFromPage(page, wiring.uiCodecEndpoint)).toEqual({ status: 200 });
  });

  it('once the session is gone, the same configured UI is back to ciphertext', async () => {
    await browser.context.clearCookies();
    codecCalls.length = 0;
    await page.goto(bookedUrl);
    await codecFailed().waitFor();
    await inputPanel().getByText('"encryption-key-id"').first().waitFor();
    expect(await page.innerText('main')).not.toContain(CUSTOMER.lastName);
    expect(new Set(codecCalls)).toEqual(new Set([401]));
  });
});
