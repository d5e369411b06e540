import type { QbdCompanySeed } from './company-data.js';

/**
 * The company file `npm start` connects through the Web Connector emulator: the demo shop's SKUs as item names (the
 * Blue L tee in lower case as in the other ledgers, so that order waits for a SKU mapping here too), the shipping
 * item, and the shop's 7.25 % California tax as a sales tax item.
 */
export const DEMO_QBD_COMPANY: QbdCompanySeed = {
  companyName: 'Demo Shop LLC',
  companyFilePath: 'C:\\Users\\Public\\Documents\\Intuit\\QuickBooks\\Company Files\\demo-shop.qbw',
  items: [
    { name: 'TEE-RED-M', price: '25.00', description: 'Organic Cotton Tee Red M' },
    { name: 'tee-blu-l', price: '25.00', description: 'Organic Cotton Tee Blue L' },
    { name: 'MUG-ENAMEL', price: '14.50', description: 'Enamel Mug' },
    { name: 'Shipping', price: '0.00' },
    { name: 'CA State Tax', type: 'SalesTax', price: '7.25' },
  ],
  // What a route's payouts go through when it chooses them (clearingAccount, payoutBankAccount, payoutFeeAccount).
  accounts: [
    { name: 'Checking', type: 'Bank' },
    { name: 'Shopify Clearing', type: 'OtherCurrentAsset' },
    { name: 'Shopify Fees', type: 'Expense' },
  ],
};
