/**
 * How a ledger rounds the tax it works out on a document's lines (pure: safe in workflows):
 * - `once-per-rate`: the rate's tax on the sum of the nets at that rate, rounded once (QuickBooks Online, QuickBooks
 *   Desktop's one sales tax item); splitting a net over several lines changes nothing, only the nets' sum counts;
 * - `per-line`: each line's tax rounded on its own, then summed (Xero, "Rounding in Xero"); each line must make up
 *   its own gross.
 */
export type TaxRounding = 'once-per-rate' | 'per-line';

export const DEFAULT_TAX_ROUNDING: TaxRounding = 'once-per-rate';
