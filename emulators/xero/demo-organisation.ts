import type { XeroSeedOrganisation } from './options.js';

/** The organisation `npm start` connects: a UK VAT-registered shop with the demo SKUs. */
export const DEMO_ORGANISATION: XeroSeedOrganisation = {
  tenantId: '8a9f1c2e-0000-4000-8000-000000000001',
  name: 'Demo Shop Ltd',
  countryCode: 'GB',
  baseCurrency: 'GBP',
  isDemoCompany: true,
  items: [
    { code: 'tee-blu-l', name: 'Organic Cotton Tee Blue L', salesAccountCode: '200', salesTaxType: 'OUTPUT2', unitPrice: 25 },
    { code: 'MUG-1', name: 'Mug', salesAccountCode: '200', salesTaxType: 'OUTPUT2', unitPrice: 9.5 },
  ],
  contacts: [{ name: 'Jane Doe', firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' }],
};
