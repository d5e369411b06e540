import type { QboSeedCompany } from './options.js';

/**
 * The demo's QuickBooks company (`npm start`, `npm run emulator:qbo`), matched to the demo shop
 * (emulators/shopify/demo-data.ts) on purpose except for one SKU written in another case ("tee-blu-l"),
 * so the demo shows an order waiting for a SKU mapping, with a suggestion, next to one booked at once.
 */
export const DEMO_COMPANY: QboSeedCompany = {
  realmId: '9341453050298765',
  companyName: "Craig's Design and Landscaping",
  country: 'US',
  homeCurrency: 'USD',
  preferences: { customTxnNumbers: true, allowShipping: true },
  items: [
    { name: 'Organic Cotton Tee Red M', sku: 'TEE-RED-M', type: 'NonInventory', unitPrice: 25 },
    { name: 'Organic Cotton Tee Blue L', sku: 'tee-blu-l', type: 'NonInventory', unitPrice: 25 },
    { name: 'Enamel Mug', sku: 'MUG-ENAMEL', type: 'NonInventory', unitPrice: 14.5 },
    { name: 'Discontinued lamp', sku: 'LAMP-OLD', type: 'NonInventory', active: false },
  ],
  taxCodes: [
    { name: 'CA State Tax', rates: [{ name: 'CA State', ratePercent: 7.25 }] },
    { name: 'Exempt', rates: [] },
  ],
  customers: [{ displayName: 'Amy Kincaid', givenName: 'Amy', familyName: 'Kincaid', email: 'amy@example.com' }],
  // What the demo route's payouts go through (scripts/demo-money.ts), with the Checking account every company has.
  accounts: [
    { name: 'Shopify Clearing', type: 'Other Current Asset' },
    { name: 'Shopify Fees', type: 'Expense' },
  ],
};
