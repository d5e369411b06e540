import type { Page } from 'playwright-core';
import { saveOperator } from '../../api/console/operator-accounts.js';
import { startOrderSync } from '../../runtime/order-sync-starter.js';
import type { OrderSyncTiming } from '../../workflows/order-sync.js';
import { eventually, HealthHarness, type HealthHarnessOptions } from '../integration-health-harness.js';
import { openConsoleBrowser, signIn, type ConsoleBrowser } from './console-browser.js';

export const CONSOLE_OPERATOR = { email: 'books@example.com', password: 'correct horse battery staple' };

/** The console's world for an order page test: a connected shop and ledger, one route between them, a signed-in browser. */
export interface ConsoleWithRoute {
  h: HealthHarness;
  browser: ConsoleBrowser;
  page: Page;
  routeId: string;
  qbo: { id: string; displayName: string };
  /** The shop's integration: the one with the store card. */
  shopify: { id: string; displayName: string };
  /** A shop order synced on the route (its sync started as a webhook would; `timing` shortens its waits). */
  syncOrder(name: string, lineItems: { title: string; sku: string; quantity: number; unitPrice: string; taxLines?: { title: string; rate: number; amount: string }[] }[], timing?: Partial<OrderSyncTiming>): Promise<{ orderId: string; workflowId: string }>;
  /** Waits until the order's row (the database) shows this status. */
  orderStatus(orderId: string, status: string): Promise<void>;
  /** The order as the operator API lists it. */
  orderRow(orderId: string): Promise<{ orderId: string; status: string; changedAfterBooking: { kind: string; message: string } | null } | undefined>;
  close(): Promise<void>;
}

export async function startConsoleWithRoute(options: HealthHarnessOptions = {}): Promise<ConsoleWithRoute> {
  const [h, browser] = await Promise.all([HealthHarness.start(options), openConsoleBrowser()]);
  await saveOperator(h.db, CONSOLE_OPERATOR.email, CONSOLE_OPERATOR.password);
  const { qbo, shopify, routeId } = await h.connectedShopAndLedger();
  const page = await browser.newPage();
  await page.goto(`${h.baseUrl}/console/orders`);
  await signIn(page, CONSOLE_OPERATOR.email, CONSOLE_OPERATOR.password);
  type Row = { orderId: string; status: string; changedAfterBooking: { kind: string; message: string } | null };
  const rowOf = async (orderId: string) => (await h.api('GET', `/routes/${routeId}/orders?limit=1000`)).json<{ orders: Row[] }>().orders.find((o) => o.orderId === orderId);
  return {
    h,
    browser,
    page,
    routeId,
    qbo,
    shopify,
    syncOrder: async (name, lineItems, timing) => {
      const order = h.shopify.control.createOrder({ shop: h.shop, name, lineItems });
      const { workflowId } = await startOrderSync(h.client, h.db, h.taskQueue, { routeId, orderId: order.id, orderName: name, ...(timing ? { timing } : {}) });
      return { orderId: order.id, workflowId };
    },
    orderStatus: async (orderId, status) => {
      await eventually(async () => (await rowOf(orderId))?.status === status, `order ${orderId} to be ${status}`);
    },
    orderRow: rowOf,
    close: async () => {
      await browser.close();
      await h.close();
    },
  };
}
