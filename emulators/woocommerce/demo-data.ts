import type { WooCommerceEmulatorControl } from './server.js';

/**
 * The demo's WooCommerce store (`npm start`): one order of products the demo QuickBooks company sells
 * (emulators/qbo/demo-company.ts), untaxed, so it books at once beside the Shopify orders.
 */
export function seedDemoWooStore(control: WooCommerceEmulatorControl): void {
  control.createOrder({
    currency: 'USD',
    status: 'processing',
    lines: [{ name: 'Enamel Mug', sku: 'MUG-ENAMEL', quantity: 2, price: '14.50' }],
    shipping: { methodTitle: 'Flat rate', methodId: 'flat_rate', total: '5.00' },
    customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
    paymentMethod: 'bacs',
  });
}
