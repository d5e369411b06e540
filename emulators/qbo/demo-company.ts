import type { QboSeedCompany } from './options.js';

/** A small US company for demos: a few products, a sales tax code and one regular customer. */
export const DEMO_COMPANY: QboSeedCompany = {
  realmId: '9341453050298765',
  companyName: "Craig's Design and Landscaping",
  country: 'US',
  homeCurrency: 'USD',
  preferences: { customTxnNumbers: true, allowShipping: true },
  items: [
    { name: 'Widget', sku: 'WID-1', type: 'NonInventory', unitPrice: 19.99 },
    { name: 'Gadget', sku: 'GAD-1', type: 'NonInventory', unitPrice: 49 },
    { name: 'Gift wrap', sku: 'WRAP', type: 'Service', unitPrice: 5 },
    { name: 'Discontinued lamp', sku: 'LAMP-OLD', type: 'NonInventory', active: false },
  ],
  taxCodes: [
    { name: 'California', rates: [{ name: 'CA State', ratePercent: 7.25 }, { name: 'Mountain View', ratePercent: 1.75 }] },
    { name: 'Exempt', rates: [] },
  ],
  customers: [{ displayName: 'Amy Kincaid', givenName: 'Amy', familyName: 'Kincaid', email: 'amy@example.com' }],
};
