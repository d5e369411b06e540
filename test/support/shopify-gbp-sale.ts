import type { ShopifyEmulatorControl } from '../../emulators/shopify/emulator-control.js';

/** A UK shop's sale with 20 % VAT on top: two shirts at 20.00 and a mug at 8.00, 57.60 in all. */
export function shirtsAndMugSale(control: ShopifyEmulatorControl, name: string, shop?: string) {
  return control.createOrder({
    ...(shop ? { shop } : {}),
    name,
    currency: 'GBP',
    taxesIncluded: false,
    customer: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
    lineItems: [
      { title: 'Red T-shirt', sku: 'TS-RED-M', quantity: 2, unitPrice: '20.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '8.00' }] },
      { title: 'Mug', sku: 'MUG-1', quantity: 1, unitPrice: '8.00', taxLines: [{ title: 'VAT', rate: 0.2, amount: '1.60' }] },
    ],
  });
}
