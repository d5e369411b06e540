import type { LedgerCurrencies } from '../domain/booking-currency.js';
import type { CommercePayout } from '../domain/commerce-payout.js';
import { LedgerRejectedError } from '../domain/platform-errors.js';
import { currencyChoices } from '../platforms/currency-route-options.js';
import type { RouteConnections } from './route-connections.js';
import { againstPlatform, toSyncFailure } from './sync-failures.js';

/**
 * A payout in a currency its ledger would book as home-currency amounts (QuickBooks Desktop with Multiple Currencies
 * off takes any amounts as dollars of a dollar company) waits, saying which setting to turn on, whatever the route's
 * `foreignCurrency`: the home-currency choice books an order at the shop's rate between its two totals, and a payout
 * has no such rate (the shop gives its net in one currency), so there is no honest home-currency amount to book.
 */
export async function assertLedgerBooksPayoutCurrency(connections: RouteConnections, routeId: string, payout: CommercePayout): Promise<void> {
  if (payout.direction !== 'deposit' || !(await connections.ledgerBooksAnyCurrencyAsHome(routeId))) return;
  const { integration, target, routeOptions } = await connections.accountingTarget(routeId);
  if (!target.currencies) return;
  const refused = (ledger: LedgerCurrencies) => ledger.homeCurrency !== '' && !ledger.multiCurrency && payout.currency !== ledger.homeCurrency;
  let ledger = await againstPlatform(integration, () => target.currencies!());
  // Refused on what may be an hour-old reading of the company's settings: read them again first.
  if (refused(ledger)) ledger = await againstPlatform(integration, () => target.currencies!({ fresh: true }));
  if (!refused(ledger)) return;
  const foreignCurrency = currencyChoices(routeOptions).foreignCurrency;
  const message =
    `Payout ${payout.id} is in ${payout.currency} (${payout.net} ${payout.currency}), but ${integration.displayName} books only in ${ledger.homeCurrency}: nothing was booked. ` +
    `${ledger.setting}, then retry the payout.` +
    (foreignCurrency === 'home-currency'
      ? ` The route's foreignCurrency "home-currency" books orders at the shop's rate, but a payout has no rate of its own to book it in ${ledger.homeCurrency}: deposit it by hand if multiple currencies stay off.`
      : '');
  const detail = `payout currency ${payout.currency}; ledger home ${ledger.homeCurrency}, multicurrency off; foreignCurrency ${foreignCurrency}`;
  throw toSyncFailure(new LedgerRejectedError('currency', message, detail), integration);
}
