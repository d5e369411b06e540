/**
 * How ledgers that tax a document once per rate (QuickBooks Online's automated sales tax) round: the rate's tax on
 * the sum of the nets at that rate, rounded once. Pure: safe in workflows.
 */

/** The rate's tax on a net (minor units), rounded once as the ledger rounds it. */
export function taxOnceAtRate(netMinor: number, rate: number): number {
  return Math.round(Number((netMinor * rate).toFixed(6)));
}

/**
 * The net (minor units) that, with its tax at `rate` rounded once, comes to `grossMinor` exactly; undefined when no
 * net does (a cent the rate skips).
 */
export function netMakingUpGross(grossMinor: number, rate: number): number | undefined {
  const guess = Math.round(grossMinor / (1 + rate));
  return [guess, guess - 1, guess + 1].find((candidate) => candidate + taxOnceAtRate(candidate, rate) === grossMinor);
}

/** Per-line rounding moves the shop's figure by at most half a minor unit a jurisdiction; one a taxed line covers it. */
export function isRoundingDifference(differenceMinor: number, taxedLineCount: number): boolean {
  return Math.abs(differenceMinor) <= Math.max(1, taxedLineCount);
}
