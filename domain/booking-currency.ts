import type { CommerceOrder } from './commerce-order.js';

/** Which amounts of an order paid in another currency than the shop's a route books (route option `saleCurrency`). */
export type SaleCurrencyChoice = 'shop' | 'presentment';
/** What an order in a currency the ledger cannot book does (route option `foreignCurrency`). */
export type ForeignCurrencyChoice = 'park' | 'home-currency';

/** The ledger's currencies, as its company or organisation is set up. */
export interface LedgerCurrencies {
  homeCurrency: string;
  /** Whether it books sales in currencies other than the home one (QuickBooks Multicurrency, a Xero plan with it). */
  multiCurrency: boolean;
  /** The currencies it has set up, where the ledger lists them (Xero); absent: any once multicurrency is on. */
  setUp?: string[];
  /** Where the bookkeeper turns it on, for the order's message: "Turn on Multicurrency in QuickBooks: Settings → …". */
  setting: string;
}

export type BookingCurrencyDecision =
  | { kind: 'book'; order: CommerceOrder }
  /** The ledger cannot book the order as the route wants it: the sentence says why and what to turn on. */
  | { kind: 'refuse'; message: string; detail: string };

/** Decimals of an exchange rate: Xero keeps 6 (notes §12: "max precision 18.6"), QuickBooks more. */
const RATE_DECIMALS = 6;

/** Units of `to`'s currency per unit of `from`'s, from the same order's totals in both (null when either is 0). */
export function rateBetween(from: CommerceOrder, to: CommerceOrder): string | null {
  const fromTotal = Number(from.total);
  const toTotal = Number(to.total);
  if (!(fromTotal > 0) || !(toTotal > 0)) return null;
  return (toTotal / fromTotal).toFixed(RATE_DECIMALS);
}

function withoutPresentment(order: CommerceOrder): CommerceOrder {
  const { presentment: _presentment, ...rest } = order;
  return rest;
}

/**
 * The amounts an order is booked in: the shop's, or what the buyer paid when the route chooses so, with the rate to
 * the ledger's home currency where the shop's own amounts give it. A ledger that books only its home currency gets
 * the home-currency amounts with the original in the memo when the route chooses so and the shop knows them, else
 * the order waits with the setting to turn on. Pure: the same order and settings give the same answer.
 */
export function orderToBook(
  order: CommerceOrder,
  ledger: LedgerCurrencies,
  choices: { saleCurrency: SaleCurrencyChoice; foreignCurrency: ForeignCurrencyChoice },
): BookingCurrencyDecision {
  const shop = withoutPresentment(order);
  const buyer = order.presentment ? withoutPresentment(order.presentment) : null;
  const preferred = choices.saleCurrency === 'presentment' && buyer ? { ...buyer, shopCurrentTotal: shop.currentTotal, shopTotal: shop.total } : shop;
  const other = preferred === shop ? buyer : shop;
  const home = ledger.homeCurrency;
  if (home === '' || preferred.currency === home) return { kind: 'book', order: preferred };

  const knownRate = other && other.currency === home ? rateBetween(preferred, other) : null;
  if (ledger.multiCurrency && (!ledger.setUp || ledger.setUp.includes(preferred.currency))) return { kind: 'book', order: { ...preferred, exchange: { homeCurrency: home, rate: knownRate } } };

  if (other && other.currency === home && knownRate !== null && choices.foreignCurrency === 'home-currency') {
    return {
      kind: 'book',
      order: {
        ...other,
        shopCurrentTotal: shop.currentTotal,
        shopTotal: shop.total,
        exchange: { homeCurrency: home, rate: null, convertedFrom: { currency: preferred.currency, total: preferred.total, rate: knownRate } },
      },
    };
  }
  const fallback =
    choices.foreignCurrency === 'home-currency'
      ? ` The route books home-currency amounts instead where the shop gives them, but ${order.name} has none in ${home}.`
      : other && other.currency === home
        ? ` Or set the route's foreignCurrency option to "home-currency" to book the shop's ${home} amounts with the rate in the memo.`
        : '';
  return {
    kind: 'refuse',
    message:
      `Order ${order.name} is in ${preferred.currency} (${preferred.total} ${preferred.currency}), but the ledger ${ledger.multiCurrency ? `has no ${preferred.currency} set up` : `books only in ${home}`}: nothing was booked. ` +
      `${ledger.setting}, then retry the order.${fallback}`,
    detail: `order currency ${preferred.currency} (saleCurrency ${choices.saleCurrency}, foreignCurrency ${choices.foreignCurrency}); ledger home ${home}, multicurrency ${ledger.multiCurrency ? `on (${(ledger.setUp ?? []).join(', ')})` : 'off'}; shop currency ${order.shopCurrency ?? shop.currency}${buyer ? `, buyer's ${buyer.currency}` : ''}`,
  };
}

/** The memo line of home-currency amounts booked for a sale paid in another currency. */
export function conversionNote(order: CommerceOrder): string | null {
  const converted = order.exchange?.convertedFrom;
  if (!converted) return null;
  return `Paid ${converted.total} ${converted.currency}; booked as ${order.total} ${order.currency} at ${converted.rate} ${order.currency} per ${converted.currency} (the shop's rate).`;
}


/**
 * The amounts a refund is booked in: the currency its sale was booked in, at the sale's rate, so that the refund
 * gives back exactly what the sale took in the ledger (and goes to the same customer, whose currency is the sale's).
 * `sale` is the whole order as it was booked from, `refund` the refund in the shape of an order (both with their
 * buyer's side when there is one). Pure.
 */
export function refundToBook(
  sale: CommerceOrder,
  refund: CommerceOrder,
  ledger: LedgerCurrencies,
  choices: { saleCurrency: SaleCurrencyChoice; foreignCurrency: ForeignCurrencyChoice },
): BookingCurrencyDecision {
  const decision = orderToBook(refund, ledger, choices);
  const asSold = orderToBook(sale, ledger, choices);
  if (decision.kind === 'refuse' || asSold.kind === 'refuse') return decision;
  if (decision.order.currency !== asSold.order.currency) {
    return {
      kind: 'refuse',
      message:
        `The refund of order ${refund.name} cannot be booked in ${asSold.order.currency}, the currency its sale was booked in: the shop gives it only in ${decision.order.currency}. ` +
        `Nothing was booked; book it by hand against the sale.`,
      detail: `sale booked in ${asSold.order.currency}; refund amounts in ${[refund.currency, refund.presentment?.currency].filter(Boolean).join(', ')}`,
    };
  }
  const soldAt = asSold.order.exchange;
  const exchange = decision.order.exchange;
  if (!soldAt || !exchange) return decision;
  const converted = exchange.convertedFrom && soldAt.convertedFrom ? { convertedFrom: { ...exchange.convertedFrom, rate: soldAt.convertedFrom.rate } } : {};
  return { kind: 'book', order: { ...decision.order, exchange: { ...exchange, rate: soldAt.rate, ...converted } } };
}
