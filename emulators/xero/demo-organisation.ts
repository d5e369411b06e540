import type { XeroSeedOrganisation } from './options.js';
import { DEFAULT_ACCOUNTS } from './organisation.js';

/**
 * The organisation `npm start` connects: a US organisation in the demo shop's currency, with its SKUs as item codes
 * (the Blue L tee in lower case, so that order waits for a SKU mapping as it does in QuickBooks Online) and the
 * shop's 7.25 % California tax as a tax rate.
 */
export const DEMO_ORGANISATION: XeroSeedOrganisation = {
  tenantId: '8a9f1c2e-0000-4000-8000-000000000001',
  name: 'Demo Shop Inc',
  countryCode: 'US',
  baseCurrency: 'USD',
  isDemoCompany: true,
  taxRates: [
    { name: 'CA State Tax', taxType: 'TAX001', ratePercent: 7.25 },
    { name: 'Tax Exempt', taxType: 'NONE', ratePercent: 0 },
  ],
  // What the demo route's payouts go through (scripts/demo-money.ts): a clearing bank account, as Xero needs one.
  accounts: [...DEFAULT_ACCOUNTS, { code: '091', name: 'Shopify Clearing', type: 'BANK' }, { code: '410', name: 'Shopify Fees', type: 'EXPENSE' }],
  items: [
    { code: 'TEE-RED-M', name: 'Organic Cotton Tee Red M', salesAccountCode: '200', salesTaxType: 'TAX001', unitPrice: 25 },
    { code: 'tee-blu-l', name: 'Organic Cotton Tee Blue L', salesAccountCode: '200', salesTaxType: 'TAX001', unitPrice: 25 },
    { code: 'MUG-ENAMEL', name: 'Enamel Mug', salesAccountCode: '200', salesTaxType: 'TAX001', unitPrice: 14.5 },
  ],
  contacts: [{ name: 'Jane Doe', firstName: 'Jane', lastName: 'Doe', email: 'jane@example.com' }],
};
