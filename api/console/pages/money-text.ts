/** An amount as the console writes money: "26.10 GBP", or the amount alone where its currency is not known. */
export function moneyText(amount: string, currency: string | null | undefined): string {
  return currency ? `${amount} ${currency}` : amount;
}
