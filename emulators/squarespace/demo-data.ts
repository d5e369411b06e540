import type { SquarespaceEmulatorControl } from './server.js';

/** A few orders on the demo site, in the demo ledger's SKUs (emulators/qbo/demo-company.ts); one without a SKU waits for a mapping. */
export function seedDemoSite(control: SquarespaceEmulatorControl): void {
  control.createOrder({
    currency: 'USD',
    lines: [{ productName: 'Organic Cotton Tee Red M', sku: 'TEE-RED-M', quantity: 2, price: '25.00' }],
    shipping: { method: 'USPS Priority', amount: '6.00' },
    customer: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
  });
  control.createOrder({
    currency: 'USD',
    lines: [{ productName: 'Enamel Mug', sku: 'MUG-ENAMEL', quantity: 1, price: '14.50' }],
    discount: { name: 'Welcome', promoCode: 'HELLO10', amount: '1.45' },
    customer: { email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing' },
  });
  control.createOrder({
    currency: 'USD',
    lines: [{ productName: 'Gift card (custom)', sku: null, quantity: 1, price: '20.00' }],
    customer: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
  });
}
