import { childNamed, childText, type XmlElement, type XmlNode } from '../../platforms/qbd/xml-tree.js';
import type { QbdCompanySeed, QbdCurrency, QbdCustomer, QbdDeposit, QbdSalesReceipt } from './company-data.js';
import { filtered, matchesActiveStatus, matchesNameFilter, pickExplicit, type NotFoundAnswer } from './company-lists.js';
import { currencyRet } from './qbxml-rets.js';
import { statusInvalidReference, statusSaveError, type QbxmlStatus } from './qbxml-status.js';

/**
 * Whether a deposit into a foreign-currency account may keep its cash back (fees) in a home-currency account, as
 * every expense account is [S]: unconfirmed [U], so played both ways (FIDELITY.md §multiple currencies).
 */
export type ForeignDepositCashBack = 'home-or-deposit-currency' | 'deposit-currency-only';

const HOME_BY_COUNTRY = { US: 'USD', CA: 'CAD', UK: 'GBP' } as const;

/**
 * A company file's currencies (notes §12): the Multiple Currencies preference, the home currency, and the currency
 * list (CurrencyQuery; the XSD's CurrencyRet [C]). QuickBooks' list comes with the world's currencies [S]; here
 * every ISO code Node knows, all active [U], named in English as Intl names them [U: QuickBooks' own names].
 * A customer's currency is fixed when it is added and is the currency of its sales (notes §12 [S]).
 */
export class QbdCompanyCurrencies {
  multiCurrencyOn: boolean;
  readonly homeCode: string;
  readonly list: QbdCurrency[] = [];

  constructor(
    seed: QbdCompanySeed,
    listRecord: <T extends object>(fields: T) => T & { listId: string; timeCreated: string; editSequence: string },
  ) {
    this.multiCurrencyOn = seed.multiCurrencyOn ?? false;
    this.homeCode = seed.homeCurrency ?? HOME_BY_COUNTRY[seed.country ?? 'US'];
    const names = new Intl.DisplayNames('en', { type: 'currency' });
    for (const code of Intl.supportedValuesOf('currency')) {
      const rate = code === this.homeCode ? undefined : seed.exchangeRates?.[code];
      this.list.push(listRecord({ name: names.of(code) ?? code, isActive: true, code, ...(rate ? { exchangeRate: rate } : {}) }));
    }
  }

  get home(): QbdCurrency {
    return this.list.find((c) => c.code === this.homeCode)!;
  }

  byRef(ref: XmlElement): QbdCurrency | undefined {
    const listId = childText(ref, 'ListID');
    const fullName = childText(ref, 'FullName');
    return this.list.find((c) => (listId !== undefined ? c.listId === listId : c.name.toLowerCase() === (fullName ?? '').toLowerCase()));
  }

  of(customer: QbdCustomer | undefined): QbdCurrency {
    return this.list.find((c) => c.code === (customer?.currencyCode ?? this.homeCode)) ?? this.home;
  }

  query(rq: XmlElement, notFound: NotFoundAnswer): { status: QbxmlStatus; rets: XmlNode[] } {
    const outcome =
      pickExplicit(rq, [
        { element: 'ListID', find: (v) => this.list.find((c) => c.listId === v) },
        { element: 'FullName', find: (v) => this.list.find((c) => c.name.toLowerCase() === v.toLowerCase()) },
      ], notFound) ?? filtered(this.list.filter((c) => matchesActiveStatus(c.isActive, rq) && matchesNameFilter(c.name, rq)), rq);
    return { status: outcome.status, rets: outcome.found.map(currencyRet) };
  }

  /**
   * A new customer's `CurrencyRef`: only with Multiple Currencies on ([U]: refused as a save error otherwise; the
   * product sends none then), naming a currency of the list (else 3140 like any reference).
   */
  customerCurrency(add: XmlElement): { ok: true; code?: string } | { ok: false; status: QbxmlStatus } {
    const ref = childNamed(add, 'CurrencyRef');
    if (!ref) return { ok: true };
    if (!this.multiCurrencyOn) return { ok: false, status: statusSaveError('Customer', 'Multiple currencies are not turned on in this company file.') };
    const currency = this.byRef(ref);
    if (!currency) return { ok: false, status: statusInvalidReference('Currency', childText(ref, 'FullName') ?? childText(ref, 'ListID') ?? '', 'Customer') };
    return { ok: true, code: currency.code };
  }

  /**
   * A deposit's currency (DepositAdd `CurrencyRef`, `ExchangeRate`: XSD [C]). With Multiple Currencies off either is
   * refused ([U], as a customer's currency and a sale's rate are; the product sends neither then). With it on, the
   * rules of QuickBooks' Make Deposits window [S: Intuit's help "How currencies work with QuickBooks deposits"]:
   * the deposit is in `CurrencyRef`'s currency, else its account's; an account in a foreign currency takes only
   * deposits in it; a line's account (or the cash back's) in a foreign currency must be in the deposit's. Foreign
   * funds into a home-currency account are taken, with a cash back only into an account in their currency [S].
   * Whether a foreign account's deposit may keep its cash back in a home-currency account is unknown: `cashBack`
   * plays both ([U]). Refusals are 3180 in our words [U]. The rate: as sent, else the list's, else 1 [U]; a
   * home-currency deposit's is 1.
   */
  depositCurrency(
    add: XmlElement,
    accounts: { depositTo: string; lines: string[]; cashBack?: string },
    total: number,
    cashBack: ForeignDepositCashBack,
  ): { ok: true; currency?: NonNullable<QbdDeposit['currency']> } | { ok: false; status: QbxmlStatus } {
    const ref = childNamed(add, 'CurrencyRef');
    const sent = childText(add, 'ExchangeRate');
    if (!this.multiCurrencyOn) {
      return !ref && sent === undefined ? { ok: true } : { ok: false, status: statusSaveError('Deposit', 'Multiple currencies are not turned on in this company file.') };
    }
    const named = ref ? this.byRef(ref) : undefined;
    if (ref && !named) return { ok: false, status: statusInvalidReference('Currency', childText(ref, 'FullName') ?? childText(ref, 'ListID') ?? '', 'Deposit') };
    const currency = named ?? this.list.find((c) => c.code === accounts.depositTo) ?? this.home;
    const foreign = (code: string) => code !== this.homeCode;
    const nameOf = (code: string) => this.list.find((c) => c.code === code)?.name ?? code;
    const refuse = (message: string) => ({ ok: false as const, status: statusSaveError('Deposit', message) });
    if (foreign(accounts.depositTo) && accounts.depositTo !== currency.code) {
      return refuse(`The currency of the deposit (${currency.name}) must be the currency of the account it is deposited to (${nameOf(accounts.depositTo)}).`);
    }
    const line = accounts.lines.findIndex((code) => foreign(code) && code !== currency.code);
    if (line >= 0) return refuse(`The account of deposit line ${line + 1} is in ${nameOf(accounts.lines[line]!)}, not in the currency of the deposit (${currency.name}).`);
    // A cash back account in another currency than the deposit's: a foreign one never; a home one (the deposit's is then
    // foreign) only beside a foreign account's deposit, and only in the variant that allows it.
    if (accounts.cashBack !== undefined && accounts.cashBack !== currency.code) {
      const homeAllowed = !foreign(accounts.cashBack) && foreign(accounts.depositTo) && cashBack === 'home-or-deposit-currency';
      if (!homeAllowed) return refuse(`The cash back account is in ${nameOf(accounts.cashBack)}, not in the currency of the deposit (${currency.name}).`);
    }
    const rate = foreign(currency.code) ? Number(sent ?? currency.exchangeRate ?? '1') : 1;
    return {
      ok: true,
      currency: { listId: currency.listId, fullName: currency.name, code: currency.code, exchangeRate: String(rate), totalInHome: (Math.round(total * rate * 100) / 100).toFixed(2) },
    };
  }

  /**
   * A sale's currency and rate: its customer's currency; `ExchangeRate` (home units per unit, as QuickBooks Online
   * counts it [S]) as sent, else the list's rate, else 1 [U]. `ExchangeRate` with Multiple Currencies off is refused
   * [U: it may be ignored; the product sends none then].
   */
  saleCurrency(add: XmlElement, customer: QbdCustomer | undefined, object: string, total: number): { ok: true; currency?: NonNullable<QbdSalesReceipt['currency']> } | { ok: false; status: QbxmlStatus } {
    const sent = childText(add, 'ExchangeRate');
    if (!this.multiCurrencyOn) {
      return sent === undefined ? { ok: true } : { ok: false, status: statusSaveError(object, 'Exchange rates are used only when multiple currencies are turned on.') };
    }
    const currency = this.of(customer);
    const rate = currency.code === this.homeCode ? 1 : Number(sent ?? currency.exchangeRate ?? '1');
    return { ok: true, currency: { listId: currency.listId, fullName: currency.name, exchangeRate: String(rate), totalInHome: (Math.round(total * rate * 100) / 100).toFixed(2) } };
  }
}
