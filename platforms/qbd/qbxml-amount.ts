import { fromMinor, minorUnitDigits } from '../../domain/money.js';

/** qbXML AMTTYPE: the amount in its currency's minor units, written with at least two decimals as the SDK's samples do [U for 3]. */
export function qbxmlAmount(minor: number, currency: string): string {
  const text = fromMinor(minor, currency);
  return minorUnitDigits(currency) >= 2 ? text : Number(text).toFixed(2);
}
