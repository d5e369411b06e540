import { LineAmountTypes, type LineItem } from 'xero-node';
import type { LedgerSale, LedgerTaxSetup } from '../../domain/accounting-target.js';
import { amountsIn } from '../../domain/money.js';
import { statedLineTax, type StatedTaxRates } from './stated-line-tax.js';

/** Shop prices with tax in them go as Inclusive; an organisation that keeps no tax takes NoTax. */
export function saleLineAmountTypes(receipt: LedgerSale, setup: LedgerTaxSetup): LineAmountTypes {
  if (setup.mode === 'off') return LineAmountTypes.NoTax;
  return receipt.taxesIncluded ? LineAmountTypes.Inclusive : LineAmountTypes.Exclusive;
}

/**
 * The sale's lines: items by code (their sales account applies), each line's tax type, shipping on its own line
 * to `shippingAccountCode`. Invoices take the shop's discount per line; receive-money lines take none, so a
 * discounted line goes as one unit at its discounted amount, the quantity kept in its description. With `rates`
 * (refunds), a line states its own tax where Xero's rounding would be a cent off it (stated-line-tax.ts).
 */
export function saleLines(receipt: LedgerSale, shippingAccountCode: string, discounts: 'per-line' | 'folded', rates: StatedTaxRates = null): LineItem[] {
  const money = amountsIn(receipt.currency);
  const lines: LineItem[] = receipt.lines.map((line) => {
    const discountMinor = line.discount ? money.minor(line.discount) : 0;
    const netMinor = money.minor(line.unitPrice) * line.quantity - discountMinor;
    const base = { itemCode: line.itemId, ...(line.taxCodeId ? { taxType: line.taxCodeId } : {}), ...statedLineTax(rates, { ...line, netMinor }, money) };
    if (discountMinor === 0) return { ...base, description: line.description, quantity: line.quantity, unitAmount: Number(line.unitPrice) };
    if (discounts === 'per-line') {
      return { ...base, description: line.description, quantity: line.quantity, unitAmount: Number(line.unitPrice), discountAmount: Number(money.amount(discountMinor)) };
    }
    return {
      ...base,
      description: `${line.description} (${line.quantity} × ${line.unitPrice}, less ${money.amount(discountMinor)} discount)`,
      quantity: 1,
      unitAmount: Number(money.amount(netMinor)),
    };
  });
  if (receipt.shipping && money.minor(receipt.shipping.amount) !== 0) {
    lines.push({
      description: 'Shipping',
      quantity: 1,
      unitAmount: Number(receipt.shipping.amount),
      accountCode: shippingAccountCode,
      ...(receipt.shipping.taxCodeId ? { taxType: receipt.shipping.taxCodeId } : {}),
      ...statedLineTax(rates, { ...receipt.shipping, netMinor: money.minor(receipt.shipping.amount) }, money),
    });
  }
  // Home-currency amounts booked for a sale paid in another currency: Xero documents have no private note, so the
  // original currency and rate go on a line of text alone (no amount), which the bookkeeper sees on the document.
  const conversion = conversionLine(receipt.internalNote);
  if (conversion) lines.push({ description: conversion });
  return lines;
}

/** The conversion note ledger-sale.ts puts under the marker ("Paid 92.50 EUR; booked as …"), if any. */
function conversionLine(internalNote: string): string | null {
  return internalNote.split('\n').find((line) => line.startsWith('Paid ')) ?? null;
}

/**
 * Xero's CurrencyRate: units of the sale's currency per unit of the base currency (Xero shows "1 USD = 0.92 EUR"),
 * the inverse of the engine's rate, 6 decimals at most (xero-node Invoice.currencyRate: "max length = [18].[6]").
 */
export function xeroCurrencyRate(receipt: Pick<LedgerSale, 'exchangeRate'>): { currencyRate: number } | Record<string, never> {
  const rate = Number(receipt.exchangeRate);
  return receipt.exchangeRate && rate > 0 ? { currencyRate: Number((1 / rate).toFixed(6)) } : {};
}
