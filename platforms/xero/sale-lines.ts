import { LineAmountTypes, type LineItem } from 'xero-node';
import type { LedgerSale, LedgerTaxSetup } from '../../domain/accounting-target.js';
import { fromCents, toCents } from '../../domain/money.js';

/** Shop prices with tax in them go as Inclusive; an organisation that keeps no tax takes NoTax. */
export function saleLineAmountTypes(receipt: LedgerSale, setup: LedgerTaxSetup): LineAmountTypes {
  if (setup.mode === 'off') return LineAmountTypes.NoTax;
  return receipt.taxesIncluded ? LineAmountTypes.Inclusive : LineAmountTypes.Exclusive;
}

/**
 * The sale's lines: items by code (their sales account applies), each line's tax type, shipping on its own line
 * to `shippingAccountCode`. Invoices take the shop's discount per line; receive-money lines take none, so a
 * discounted line goes as one unit at its discounted amount, the quantity kept in its description.
 */
export function saleLines(receipt: LedgerSale, shippingAccountCode: string, discounts: 'per-line' | 'folded'): LineItem[] {
  const lines: LineItem[] = receipt.lines.map((line) => {
    const discountCents = line.discount ? toCents(line.discount) : 0;
    const base = { itemCode: line.itemId, ...(line.taxCodeId ? { taxType: line.taxCodeId } : {}) };
    if (discountCents === 0) return { ...base, description: line.description, quantity: line.quantity, unitAmount: Number(line.unitPrice) };
    if (discounts === 'per-line') {
      return { ...base, description: line.description, quantity: line.quantity, unitAmount: Number(line.unitPrice), discountAmount: discountCents / 100 };
    }
    const net = toCents(line.unitPrice) * line.quantity - discountCents;
    return {
      ...base,
      description: `${line.description} (${line.quantity} × ${line.unitPrice}, less ${fromCents(discountCents)} discount)`,
      quantity: 1,
      unitAmount: net / 100,
    };
  });
  if (receipt.shipping && toCents(receipt.shipping.amount) !== 0) {
    lines.push({
      description: 'Shipping',
      quantity: 1,
      unitAmount: Number(receipt.shipping.amount),
      accountCode: shippingAccountCode,
      ...(receipt.shipping.taxCodeId ? { taxType: receipt.shipping.taxCodeId } : {}),
    });
  }
  return lines;
}
