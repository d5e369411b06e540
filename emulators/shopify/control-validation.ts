import { enumValues, newestStableVersion } from './admin-schema.js';
import type { OrderPatch, ShopInput } from './store.js';

/**
 * The control API takes only what Shopify's own schema allows, so a test cannot build an order Shopify could
 * never hold (and find out later as a broken read). Checked against the newest stable schema in the package.
 */
export class ControlInputError extends Error {
  readonly statusCode = 400;
}

export function validateOrderInput(input: OrderPatch): void {
  checkEnum('CurrencyCode', 'currency', input.currency);
  checkEnum('CurrencyCode', 'presentmentCurrency', input.presentmentCurrency);
  checkEnum('OrderDisplayFinancialStatus', 'financialStatus', input.financialStatus);
}

export function validateRestockType(value: unknown): void {
  checkEnum('RefundLineItemRestockType', 'restockType', value);
}

export function validateShopInput(input: ShopInput): void {
  checkEnum('CurrencyCode', 'currencyCode', input.currencyCode);
}

function checkEnum(enumName: string, field: string, value: unknown): void {
  if (value === undefined || value === null) return;
  const version = newestStableVersion();
  if (typeof value !== 'string' || !enumValues(version, enumName).has(value)) {
    throw new ControlInputError(`${field} ${JSON.stringify(value)} is not a ${enumName} in Shopify's ${version} Admin schema`);
  }
}
