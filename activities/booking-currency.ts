import { orderToBook, refundToBook, type BookingCurrencyDecision, type LedgerCurrencies } from '../domain/booking-currency.js';
import type { CommerceOrder } from '../domain/commerce-order.js';
import { LedgerRejectedError } from '../domain/platform-errors.js';
import { currencyChoices } from '../platforms/currency-route-options.js';
import type { RouteConnections } from './route-connections.js';
import { againstPlatform, toSyncFailure } from './sync-failures.js';

type Choices = ReturnType<typeof currencyChoices>;

/**
 * The amounts a route books an order in, when the buyer paid in another currency than the shop's (a buyer's side,
 * or an order in another currency than the shop's only: domain/booking-currency.ts): chosen right after the fetch so that the customer, the mapping and the document all see
 * one currency. A ledger that books every sale as given gets the shop's amounts, as before. An order the ledger
 * cannot book as the route wants waits as a ledger refusal, naming the setting.
 */
export function orderInBookingCurrency(connections: RouteConnections, routeId: string, order: CommerceOrder): Promise<CommerceOrder> {
  return inBookingCurrency(connections, routeId, order, (ledger, choices) => orderToBook(order, ledger, choices));
}

/**
 * The amounts a route books a refund in (`refund` in the shape of an order): those of its sale's currency, at the
 * sale's rate (domain/booking-currency.ts, refundToBook), worked out from the whole order `sale` as its sync did.
 */
export function refundInBookingCurrency(connections: RouteConnections, routeId: string, sale: CommerceOrder, refund: CommerceOrder): Promise<CommerceOrder> {
  return inBookingCurrency(connections, routeId, refund, (ledger, choices) => refundToBook(sale, refund, ledger, choices));
}

async function inBookingCurrency(
  connections: RouteConnections,
  routeId: string,
  order: CommerceOrder,
  decide: (ledger: LedgerCurrencies, choices: Choices) => BookingCurrencyDecision,
): Promise<CommerceOrder> {
  // In the shop's currency only: nothing to choose. A currency the ledger cannot book is refused by the ledger at
  // booking, naming the setting (QuickBooks Online) or the currency (Xero), without a ledger call here; a ledger
  // that would book it as its home currency instead (QuickBooks Desktop) is asked here, as for a buyer's currency.
  const shopCurrencyOnly = !order.presentment && order.shopCurrency === undefined;
  if (shopCurrencyOnly && !(await connections.ledgerBooksAnyCurrencyAsHome(routeId))) return order;
  const { integration, target, routeOptions } = await connections.accountingTarget(routeId);
  if (!target.currencies) {
    const { presentment: _presentment, ...inShopCurrency } = order;
    return inShopCurrency;
  }
  const choices = currencyChoices(routeOptions);
  let decision = decide(await againstPlatform(integration, () => target.currencies!()), choices);
  // Refused on what may be an hour-old reading of the ledger's settings: read them again first.
  if (decision.kind === 'refuse') decision = decide(await againstPlatform(integration, () => target.currencies!({ fresh: true })), choices);
  if (decision.kind === 'book') return decision.order;
  throw toSyncFailure(new LedgerRejectedError('currency', decision.message.replace('the ledger', integration.displayName), decision.detail), integration.id);
}
