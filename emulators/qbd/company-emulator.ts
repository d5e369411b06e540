import { parseXml, writeXml, XmlSyntaxError, type XmlElement, type XmlNode } from '../../platforms/qbd/xml-tree.js';
import type { QbdCompanySeed } from './company-data.js';
import { QbdCompany, type HandledRequest, type SalesTaxLineAmount } from './company.js';
import type { NotFoundAnswer } from './company-lists.js';
import type { NegativeDepositLines } from './company-deposits.js';
import type { ForeignDepositCashBack } from './company-currencies.js';
import { checkQbxmlElement, type QbxmlViolation } from './qbxml-schema-check.js';
import { PARSE_ERROR, statusOk, statusRequestIdTooLong, statusSaveError, statusTooLong, type QbxmlStatus } from './qbxml-status.js';
import { QBXML_SCHEMA } from './schema-facts.js';
import { dataFields, type PersistedParts } from '../common/persisted-state.js';

/** What QuickBooks' request processor gives back for a request set: a qbXML response, or an HRESULT it threw. */
export type QbdProcessResult = { kind: 'response'; qbxml: string } | { kind: 'error'; hresult: string; message: string };

export interface QbdCompanyEmulatorOptions {
  company: QbdCompanySeed;
  /** Answer to an explicit ListID/FullName/TxnID/RefNumber that is not there (FIDELITY.md §3). Default 'status-500'. */
  notFound?: NotFoundAnswer;
  /** The newest qbXML major version this QuickBooks reads: 16 for QuickBooks 2023 R3 and later, 13 for 2019 … */
  highestQbxmlMajorVersion?: number;
  /** Whether a negative deposit line is taken (FIDELITY.md §deposits, [U]). Default 'accept'. */
  negativeDepositLines?: NegativeDepositLines;
  /** Whether a foreign bank account's deposit may keep its cash back in a home-currency account (FIDELITY.md §multiple currencies, [U]). Default 'home-or-deposit-currency'. */
  foreignDepositCashBack?: ForeignDepositCashBack;
  /** Whether a sales tax item line keeps the Amount sent (FIDELITY.md §adds, [U]). Default 'as-sent'. */
  salesTaxLineAmount?: SalesTaxLineAmount;
  now?: () => Date;
}

export interface ProcessedRequest {
  name: string;
  requestID?: string;
  statusCode: number;
}


/**
 * A QuickBooks Desktop company behind the SDK's request processor: takes a qbXML request set as the Web Connector
 * hands it over, checks it against Intuit's qbXML 16.0 schema, runs it, and answers what QuickBooks answers.
 */
export class QbdCompanyEmulator {
  readonly company: QbdCompany;
  /** Every request run, in order, with the status it got. */
  readonly processed: ProcessedRequest[] = [];
  /** Every request set handed in, as received. */
  readonly requestSets: string[] = [];
  notFound: NotFoundAnswer;
  negativeDepositLines: NegativeDepositLines;
  foreignDepositCashBack: ForeignDepositCashBack;
  salesTaxLineAmount: SalesTaxLineAmount;
  readonly highestQbxmlMajorVersion: number;
  private open = true;
  private readonly injected: { request: string; status: QbxmlStatus }[] = [];

  constructor(options: QbdCompanyEmulatorOptions) {
    this.notFound = options.notFound ?? 'status-500';
    this.highestQbxmlMajorVersion = options.highestQbxmlMajorVersion ?? 16;
    this.negativeDepositLines = options.negativeDepositLines ?? 'accept';
    this.foreignDepositCashBack = options.foreignDepositCashBack ?? 'home-or-deposit-currency';
    this.salesTaxLineAmount = options.salesTaxLineAmount ?? 'as-sent';
    this.company = new QbdCompany(
      options.company,
      options.now ?? (() => new Date()),
      () => this.notFound,
      () => this.negativeDepositLines,
      () => this.foreignDepositCashBack,
      () => this.salesTaxLineAmount,
    );
  }

  get companyFilePath(): string {
    return this.company.seed.companyFilePath;
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** QuickBooks closed (or the file open elsewhere): the Web Connector cannot begin a session. */
  closeCompanyFile(): void {
    this.open = false;
  }

  openCompanyFile(): void {
    this.open = true;
  }

  /** The next `request` (e.g. 'SalesReceiptAdd') is answered with `status` instead of being run. */
  failNext(request: string, status: QbxmlStatus): void {
    this.injected.push({ request, status });
  }

  process(qbxml: string): QbdProcessResult {
    this.requestSets.push(qbxml);
    if (!this.open) return { kind: 'error', hresult: '0x80040408', message: 'Could not start QuickBooks.' };
    let msgs: XmlElement;
    try {
      const doc = parseXml(qbxml);
      const version = /version\s*=\s*"([\d.]+)"/.exec(doc.instructions.find((i) => i.target.toLowerCase() === 'qbxml')?.data ?? '')?.[1];
      if (version === undefined || Number(version) >= this.highestQbxmlMajorVersion + 1) return { kind: 'error', ...PARSE_ERROR };
      if (doc.root.local !== 'QBXML' || doc.root.children.length !== 1 || doc.root.children[0]!.local !== 'QBXMLMsgsRq') return { kind: 'error', ...PARSE_ERROR };
      msgs = doc.root.children[0]!;
    } catch (error) {
      if (error instanceof XmlSyntaxError) return { kind: 'error', ...PARSE_ERROR };
      throw error;
    }
    const findings = this.check(msgs);
    if (findings.some((f) => f.kind === 'structure')) return { kind: 'error', ...PARSE_ERROR };

    const onError = msgs.attributes.onError;
    const responses: XmlNode[] = [];
    for (const [index, rq] of msgs.children.entries()) {
      const name = rq.local.replace(/Rq$/, '');
      const tooLong = findings.find((f): f is Extract<QbxmlViolation, { kind: 'too-long' }> => f.kind === 'too-long' && f.path.startsWith(`${index}:`));
      const requestID = rq.attributes.requestID;
      const handled: HandledRequest =
        requestID !== undefined && requestID.length > 50
          ? { status: statusRequestIdTooLong(), rets: [] }
          : tooLong
            ? { status: statusTooLong(tooLong.field, tooLong.value), rets: [] }
            : trimmedTo(this.run(name, rq), rq);
      this.processed.push({ name, ...(requestID !== undefined ? { requestID } : {}), statusCode: handled.status.statusCode });
      responses.push({
        name: `${name}Rs`,
        attributes: {
          requestID,
          statusCode: String(handled.status.statusCode),
          statusSeverity: handled.status.statusSeverity,
          statusMessage: handled.status.statusMessage,
        },
        children: handled.rets,
      });
      // rollbackOnError is treated as stopOnError (FIDELITY.md §3, [U]).
      if (handled.status.statusSeverity === 'Error' && onError !== 'continueOnError') break;
    }
    const body = writeXml({ name: 'QBXML', children: [{ name: 'QBXMLMsgsRs', children: responses }] });
    return { kind: 'response', qbxml: `<?xml version="1.0" ?>\n${body}` };
  }

  /** The host, company and preferences answers QBWC sends as `strHCPResponse` on a session's first sendRequestXML. */
  hostCompanyResponse(): string {
    const ok = { statusCode: '0', statusSeverity: 'Info', statusMessage: 'Status OK' };
    const body = writeXml({
      name: 'QBXML',
      children: [
        {
          name: 'QBXMLMsgsRs',
          children: [
            { name: 'HostQueryRs', attributes: { requestID: '0', ...ok }, children: [this.hostRet()] },
            { name: 'CompanyQueryRs', attributes: { requestID: '1', ...ok }, children: [this.companyRet()] },
            { name: 'PreferencesQueryRs', attributes: { requestID: '2', ...ok }, children: [this.preferencesRet()] },
          ],
        },
      ],
    });
    return `<?xml version="1.0" ?>\n${body}`;
  }

  private hostRet(): XmlNode {
    const versions = Array.from({ length: this.highestQbxmlMajorVersion }, (_, i) => `${i + 1}.0`);
    return {
      name: 'HostRet',
      children: [
        { name: 'ProductName', text: 'QuickBooks Pro 2024' },
        { name: 'MajorVersion', text: '34' },
        { name: 'MinorVersion', text: '0' },
        { name: 'Country', text: this.company.seed.country ?? 'US' },
        ...versions.map((v) => ({ name: 'SupportedQBXMLVersion', text: v })),
        { name: 'IsAutomaticLogin', text: 'false' },
        { name: 'QBFileMode', text: 'SingleUser' },
      ],
    };
  }

  /** Sales tax preferences exist only when the company has a sales tax item to charge by default (sales tax on). */
  private preferencesRet(): XmlNode {
    const taxItem = this.company.items.find((i) => i.type === 'SalesTax');
    const ref = (name: string, listId: string | undefined, fullName: string): XmlNode => ({ name, children: [{ name: 'ListID', text: listId ?? '' }, { name: 'FullName', text: fullName }] });
    const code = (isTaxable: boolean) => this.company.salesTaxCodes.find((c) => c.isTaxable === isTaxable);
    const taxable = code(true);
    const nonTaxable = code(false);
    return {
      name: 'PreferencesRet',
      children: [
        this.multiCurrencyPreferences(),
        taxItem && taxable && nonTaxable
          ? {
              name: 'SalesTaxPreferences',
              children: [
                ref('DefaultItemSalesTaxRef', taxItem.listId, taxItem.name),
                { name: 'PaySalesTax', text: 'Monthly' },
                ref('DefaultTaxableSalesTaxCodeRef', taxable.listId, taxable.name),
                ref('DefaultNonTaxableSalesTaxCodeRef', nonTaxable.listId, nonTaxable.name),
              ],
            }
          : null,
        { name: 'CurrentAppAccessRights', children: [{ name: 'IsAutomaticLoginAllowed', text: 'true' }, { name: 'IsPersonalDataAccessAllowed', text: 'true' }] },
      ],
    };
  }

  /** Multiple Currencies on or off; the home currency named only when on ([U] whether QuickBooks names it when off). */
  private multiCurrencyPreferences(): XmlNode {
    const { currencies } = this.company;
    const home = currencies.home;
    return {
      name: 'MultiCurrencyPreferences',
      children: [
        { name: 'IsMultiCurrencyOn', text: String(currencies.multiCurrencyOn) },
        currencies.multiCurrencyOn ? { name: 'HomeCurrencyRef', children: [{ name: 'ListID', text: home.listId }, { name: 'FullName', text: home.name }] } : null,
      ],
    };
  }

  private companyRet(): XmlNode {
    return { name: 'CompanyRet', children: [{ name: 'IsSampleCompany', text: 'false' }, { name: 'CompanyName', text: this.company.seed.companyName }] };
  }

  private check(msgs: XmlElement): (QbxmlViolation & { path: string })[] {
    const out: QbxmlViolation[] = [];
    const set = QBXML_SCHEMA.messageSet.QBXMLMsgsRq;
    out.push(...checkQbxmlElement({ ...msgs, children: [] }, { attributes: set.attributes }, 'QBXMLMsgsRq'));
    for (const [index, rq] of msgs.children.entries()) {
      const declaration = QBXML_SCHEMA.requests[rq.local];
      if (!declaration) {
        out.push({ kind: 'structure', path: `${index}:${rq.local}`, detail: set.requests.includes(rq.local) ? `${rq.local} is not emulated` : `${rq.local} is not a qbXML request` });
        continue;
      }
      out.push(...checkQbxmlElement(rq, declaration, `${index}:${rq.local}`));
    }
    this.lastFindings = out;
    return out;
  }

  /** The schema findings of the last request set (for tests and for an engineer reading why a set was refused). */
  lastFindings: QbxmlViolation[] = [];

  private run(name: string, rq: XmlElement): HandledRequest {
    const injectedAt = this.injected.findIndex((f) => f.request === name);
    if (injectedAt >= 0) {
      const [fault] = this.injected.splice(injectedAt, 1);
      return { status: fault!.status, rets: [] };
    }
    const c = this.company;
    switch (name) {
      case 'HostQuery':
        return { status: statusOk(), rets: [this.hostRet()] };
      case 'CompanyQuery':
        return { status: statusOk(), rets: [this.companyRet()] };
      case 'PreferencesQuery':
        return { status: statusOk(), rets: [this.preferencesRet()] };
      case 'CustomerQuery':
        return c.customerQuery(rq);
      case 'CustomerAdd':
        return c.customerAdd(rq);
      case 'CustomerMod':
        return c.customerMod(rq);
      case 'ItemServiceMod':
        return c.itemMod(rq, 'Service');
      case 'ItemNonInventoryMod':
        return c.itemMod(rq, 'NonInventory');
      case 'ItemInventoryMod':
        return c.itemMod(rq, 'Inventory');
      case 'CurrencyQuery':
        return c.currencyQuery(rq);
      case 'ItemQuery':
        return c.itemQuery(rq);
      case 'ItemSalesTaxQuery':
        return c.itemQuery(rq, true);
      case 'SalesTaxCodeQuery':
        return c.salesTaxCodeQuery(rq);
      case 'SalesReceiptQuery':
        return c.salesReceiptQuery(rq);
      case 'SalesReceiptAdd':
        return c.salesReceiptAdd(rq);
      case 'CreditMemoQuery':
        return c.creditMemoQuery(rq);
      case 'CreditMemoAdd':
        return c.creditMemoAdd(rq);
      case 'ARRefundCreditCardAdd':
        return c.arRefundCreditCardAdd(rq);
      case 'AccountQuery':
        return c.accountQuery(rq);
      case 'DepositQuery':
        return c.depositQuery(rq);
      case 'DepositAdd':
        return c.depositAdd(rq);
      default:
        return { status: statusSaveError(name, `${name} is not emulated by ledgerbridge's QuickBooks Desktop emulator.`), rets: [] };
    }
  }

  /** What a demo keeps across restarts (emulators/common/persisted-state.ts): the company file's lists and transactions. */
  persistentParts(): PersistedParts {
    // Pending bookkeeper edits are test controls (functions): not state.
    return { company: dataFields(this.company, ['seed', 'pendingEdits']) };
  }
}

/** `IncludeRetElement` (notes §6 [C]): each answered `…Ret` keeps only the named elements (all when none is named). */
function trimmedTo(handled: HandledRequest, rq: XmlElement): HandledRequest {
  const keep = rq.children.filter((c) => c.local === 'IncludeRetElement').map((c) => c.text);
  if (keep.length === 0) return handled;
  return { ...handled, rets: handled.rets.map((ret) => ({ ...ret, children: (ret.children ?? []).filter((child) => child && keep.includes(child.name)) })) };
}
