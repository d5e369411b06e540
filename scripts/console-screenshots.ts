// `npm run screenshots`: pictures of every console page from a running ledgerbridge (the demo: `npm start` in another
// terminal), for the README. Signs in as the demo account unless CONSOLE_EMAIL / CONSOLE_PASSWORD say otherwise.
//   npm run screenshots -- [base URL, default http://127.0.0.1:3000] [output dir, default docs/console]
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { NAV } from '../api/console/layout.js';
import { projectRoot } from '../runtime/project-root.js';
import { openChromium, signInOn } from './chromium-browser.js';
import { DEMO_OPERATOR } from './demo-operator.js';

const base = (process.argv[2] ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const outDir = resolve(projectRoot, process.argv[3] ?? 'docs/console');
const email = process.env.CONSOLE_EMAIL ?? DEMO_OPERATOR.email;
const password = process.env.CONSOLE_PASSWORD ?? DEMO_OPERATOR.password;

await mkdir(outDir, { recursive: true });
const browser = await openChromium({ viewport: { width: 1280, height: 800 } });
const taken: string[] = [];
const shoot = async (page: Page, name: string) => {
  const path = resolve(outDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  taken.push(path);
};
try {
  const page = await browser.newPage();
  await page.goto(`${base}/console`);
  await shoot(page, 'sign-in');
  await signInOn(page, email, password);
  if (new URL(page.url()).pathname === '/console/sign-in') throw new Error(`Signing in as ${email} failed: is ${base} the demo (npm start), or are CONSOLE_EMAIL and CONSOLE_PASSWORD right?`);

  for (const section of NAV) {
    await page.goto(`${base}${section.path}`);
    await shoot(page, section.id);
  }
  // One integration's page and its delete confirmation (nothing is deleted), from the first row.
  await page.goto(`${base}/console/integrations`);
  const first = await page.locator('tr[data-integration] th a').first().getAttribute('href');
  if (first) {
    await page.goto(`${base}${first}`);
    await shoot(page, 'integration');
    await page.goto(`${base}${first}/delete`);
    await shoot(page, 'integration-delete');
  }
  // A store's page: its sync status per entity with Retry, the full re-sync and the routes' sync settings.
  await page.goto(`${base}/console/integrations`);
  const store = await page.locator('tr[data-integration]', { hasText: 'Shopify' }).locator('th a').first().getAttribute('href', { timeout: 1000 }).catch(() => null);
  if (store) {
    await page.goto(`${base}${store}`);
    await shoot(page, 'store');
  }
  // The demo route's reconciliation audits and its hard stop.
  await page.goto(`${base}/console/routes/demo/audits`);
  await shoot(page, 'audits');
  // The demo's audit (npm start runs one): its report, each line with its fix.
  const report = await page.locator('a[href^="/console/routes/demo/audits/"]').first().getAttribute('href', { timeout: 1000 }).catch(() => null);
  if (report) {
    await page.goto(`${base}${report}`);
    await shoot(page, 'audit');
  }
  // One order's page, as an alert email's link opens it: the refunded one, with its refund document.
  const orderLink = await firstOrderLink(page);
  if (orderLink) {
    await page.goto(`${base}${orderLink}`);
    await shoot(page, 'order');
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/console/integrations`);
  await shoot(page, 'integrations-phone');
} finally {
  await browser.close();
}
console.log(`Saved ${taken.length} screenshots:\n${taken.map((path) => `  ${path}`).join('\n')}`);

/**
 * The order page to picture: the demo's refunded order (#1001: its refund shows under "Refunds and cancellations"),
 * else an order found on the Orders page, else the demo route's first order (by the operator API).
 */
async function firstOrderLink(page: Page): Promise<string | null> {
  const token = process.env.OPERATOR_TOKEN ?? 'demo-operator-token';
  const operator = async <T>(path: string): Promise<T | null> => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } }).catch(() => null);
    return response?.ok ? ((await response.json()) as T) : null;
  };
  const orderPage = (row: { routeId: string; orderId: string }) => `/console/routes/${encodeURIComponent(row.routeId)}/orders/${encodeURIComponent(row.orderId)}`;
  const refunded = (await operator<{ refunds: { routeId: string; orderId: string }[] }>('/routes/demo/refunds?limit=1'))?.refunds[0];
  if (refunded) return orderPage(refunded);
  await page.goto(`${base}/console/orders`);
  const onPage = await page.locator('a[href*="/console/routes/"][href*="/orders/"]').first().getAttribute('href', { timeout: 1000 }).catch(() => null);
  if (onPage) return onPage;
  const first = (await operator<{ orders: { routeId: string; orderId: string }[] }>('/routes/demo/orders?limit=1'))?.orders[0];
  return first ? orderPage(first) : null;
}
