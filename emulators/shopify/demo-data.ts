import type { ShopifyEmulatorControl } from './emulator-control.js';

/** A small, believable shop for `npm start`: products, a returning customer and a few orders. */
export function seedDemoShop(control: ShopifyEmulatorControl): void {
  const tee = control.createProduct({
    title: 'Organic Cotton Tee',
    variants: [
      { title: 'Red / M', sku: 'TEE-RED-M', price: '25.00' },
      { title: 'Blue / L', sku: 'TEE-BLU-L', price: '25.00' },
    ],
  });
  const mug = control.createProduct({ title: 'Enamel Mug', variants: [{ sku: 'MUG-ENAMEL', price: '14.50' }] });
  const customer = control.createCustomer({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' });
  const salesTax = (amount: string) => [{ title: 'CA State Tax', rate: 0.0725, amount }];
  // Amounts chosen so Shopify's per-line rounding and QuickBooks' rounding of the sale agree to the cent:
  // the demo's first order books at once (a one-cent difference would park it, as it would in production).

  control.createOrder({
    customerId: customer.id,
    lineItems: [
      { title: 'Organic Cotton Tee - Red / M', sku: 'TEE-RED-M', variantId: tee.variants[0]!.id, quantity: 2, unitPrice: '25.00', taxLines: salesTax('3.63') },
      { title: 'Enamel Mug', sku: 'MUG-ENAMEL', variantId: mug.variants[0]!.id, quantity: 1, unitPrice: '14.50', discount: '1.50', taxLines: salesTax('0.94') },
    ],
    shippingLines: [{ title: 'Standard', price: '5.00' }],
  });
  control.createOrder({
    customer: { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
    lineItems: [
      { title: 'Organic Cotton Tee - Blue / L', sku: 'TEE-BLU-L', variantId: tee.variants[1]!.id, quantity: 1, unitPrice: '25.00', taxLines: salesTax('1.81') },
    ],
    shippingLines: [{ title: 'Express', price: '12.00', discountedPrice: '6.00' }],
    note: 'Gift wrap, please',
  });
}
