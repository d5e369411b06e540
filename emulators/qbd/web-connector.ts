import { parseSoapResult, soapCallEnvelope, SoapRequestError } from '../../platforms/qbd/soap-envelope.js';
import type { QbdCompanyEmulator } from './company-emulator.js';

/**
 * The QuickBooks Web Connector (QBWC) as the product meets it: on a schedule (or "Update Selected") it calls the
 * service's SOAP methods in QBWC's order — serverVersion, clientVersion, authenticate, then sendRequestXML →
 * QuickBooks → receiveResponseXML until 100 or an error, getLastError on "" or a negative answer, connectionError
 * when QuickBooks cannot open the company file, closeConnection. Sources: FIDELITY.md §4.
 */

export interface WebConnectorOptions {
  /** The .qwc's AppURL. */
  appUrl: string;
  /** The .qwc's UserName. */
  userName: string;
  /** What the person typed into QBWC's password box. */
  password: string;
  company: QbdCompanyEmulator;
  /** Time between scheduled updates (the .qwc's RunEveryNMinutes; tests set milliseconds). */
  intervalMs: number;
  clientVersion?: string;
  qbXMLCountry?: string;
  /** Default: what the company's QuickBooks reads (QBWC asks QuickBooks). */
  qbXMLMajorVers?: number;
  qbXMLMinorVers?: number;
  /** QBWC waits 5 s after getLastError answers "NoOp" [C]; tests shorten it. */
  noOpDelayMs?: number;
}

export interface WebConnectorCall {
  method: string;
  params: Record<string, string | number>;
  result: string;
}

export type WebConnectorOutcome =
  | 'finished' // receiveResponseXML said 100
  | 'nothing-to-do' // authenticate said "none"
  | 'invalid-user' // "nvu"
  | 'busy'
  | 'server-stopped' // sendRequestXML "" and getLastError gave a message
  | 'error' // negative receiveResponseXML
  | 'connection-error' // QuickBooks could not open the company file
  | 'client-version-refused'
  | 'http-error';

export interface WebConnectorRun {
  outcome: WebConnectorOutcome;
  /** What QBWC shows the person (getLastError, an HRESULT message, …). */
  message: string;
  calls: WebConnectorCall[];
  requestSetsProcessed: number;
}

const MAX_CONNECTION_RETRIES = 2;
const MAX_NOOPS = 10;

export class WebConnectorEmulator {
  readonly runs: WebConnectorRun[] = [];
  private password: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<WebConnectorRun> | undefined;
  private stopped = true;
  private readonly waiters: { predicate: (run: WebConnectorRun) => boolean; resolve: (run: WebConnectorRun) => void }[] = [];

  constructor(private options: WebConnectorOptions) {
    this.password = options.password;
  }

  /**
   * The person adds a `.qwc` file ("Add an application") and types its password: QBWC takes the AppURL and UserName
   * from the file (notes §2), replacing the application of the same name. Later updates use them.
   */
  addApplication(qwc: string, password: string): void {
    const element = (name: string) => {
      const value = new RegExp(`<${name}>([^<]*)</${name}>`).exec(qwc)?.[1];
      if (!value) throw new Error(`the .qwc file has no <${name}>`);
      return value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
    };
    this.options = { ...this.options, appUrl: element('AppURL'), userName: element('UserName') };
    this.password = password;
  }

  private loseAnswerOfRequest: string | undefined;

  /**
   * The next request set containing `request` (e.g. 'SalesReceiptAdd') runs in QuickBooks, but its answer never
   * reaches the service: QBWC or the network fails before receiveResponseXML (quickbooks-desktop.md §11, the
   * "dangerous gap"). The update ends as an HTTP failure, the session is never closed.
   */
  loseAnswerOf(request: string): void {
    this.loseAnswerOfRequest = request;
  }

  /** The person typed another password into QBWC. */
  setPassword(password: string): void {
    this.password = password;
  }

  /** Scheduled updates every intervalMs until stop() (QBWC's Auto-Run). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** QBWC closed: no more updates; the one under way finishes. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** "Update Selected": one update now (waits for one under way to end first, as QBWC runs one at a time). */
  async runOnce(): Promise<WebConnectorRun> {
    while (this.running) await this.running.catch(() => undefined);
    const run = this.session();
    this.running = run;
    try {
      const done = await run;
      this.runs.push(done);
      for (const w of [...this.waiters]) {
        if (w.predicate(done)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(done);
        }
      }
      return done;
    } finally {
      this.running = undefined;
    }
  }

  /** The next finished update that satisfies `predicate` (for tests driving scheduled polling). */
  nextRun(predicate: (run: WebConnectorRun) => boolean = () => true): Promise<WebConnectorRun> {
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.runOnce()
        .catch(() => undefined)
        .finally(() => this.schedule());
    }, this.options.intervalMs);
  }

  private async session(): Promise<WebConnectorRun> {
    const calls: WebConnectorCall[] = [];
    let processed = 0;
    const o = this.options;
    const end = (outcome: WebConnectorOutcome, message = ''): WebConnectorRun => ({ outcome, message, calls, requestSetsProcessed: processed });
    const call = async (method: string, params: Record<string, string | number>): Promise<{ text: string; strings: string[] }> => {
      const response = await fetch(o.appUrl, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: `"http://developer.intuit.com/${method}"` },
        body: soapCallEnvelope(method, params),
      });
      const body = await response.text();
      const shown = { ...params };
      if ('strPassword' in shown) shown.strPassword = '********';
      if (!response.ok) {
        calls.push({ method, params: shown, result: `HTTP ${response.status}` });
        throw new HttpFailure(`${method}: HTTP ${response.status}`);
      }
      const result = parseSoapResult(body, method);
      calls.push({ method, params: shown, result: result.strings.length > 0 ? result.strings.join('|') : result.text });
      return result;
    };

    try {
      await call('serverVersion', {});
      const version = (await call('clientVersion', { strVersion: o.clientVersion ?? '2.3.0.215' })).text;
      if (version.startsWith('E:') || version.startsWith('O:')) return end('client-version-refused', version.slice(2));
      const [ticket = '', status = ''] = (await call('authenticate', { strUserName: o.userName, strPassword: this.password })).strings;
      if (status === 'nvu' || status === 'none' || status === 'busy') {
        await call('closeConnection', { ticket });
        return end(status === 'nvu' ? 'invalid-user' : status === 'none' ? 'nothing-to-do' : 'busy');
      }

      // Opening QuickBooks with the file authenticate named ('' = the one open now); on failure ask where else.
      let wanted = status;
      for (let attempt = 0; ; attempt++) {
        const opens = o.company.isOpen && (wanted === '' || wanted.toLowerCase() === o.company.companyFilePath.toLowerCase());
        if (opens) break;
        const hresult = o.company.isOpen ? '0x80040410' : '0x80040408';
        const message = o.company.isOpen ? 'A different company file is already open in QuickBooks.' : 'Could not start QuickBooks.';
        const next = (await call('connectionError', { ticket, hresult, message })).text;
        // Intuit's own sample service answers "DONE": the word is read without regard to case.
        if (next.toLowerCase() === 'done' || attempt + 1 >= MAX_CONNECTION_RETRIES) {
          await call('closeConnection', { ticket });
          return end('connection-error', message);
        }
        wanted = next;
      }

      let hcp = o.company.hostCompanyResponse();
      let noOps = 0;
      for (;;) {
        const request = (
          await call('sendRequestXML', {
            ticket,
            strHCPResponse: hcp,
            strCompanyFileName: o.company.companyFilePath,
            qbXMLCountry: o.qbXMLCountry ?? 'US',
            qbXMLMajorVers: o.qbXMLMajorVers ?? o.company.highestQbxmlMajorVersion,
            qbXMLMinorVers: o.qbXMLMinorVers ?? 0,
          })
        ).text;
        hcp = '';
        if (request === '') {
          const lastError = (await call('getLastError', { ticket })).text;
          if (lastError === 'NoOp' && ++noOps <= MAX_NOOPS) {
            await new Promise((r) => setTimeout(r, o.noOpDelayMs ?? 5000));
            continue;
          }
          await call('closeConnection', { ticket });
          return end('server-stopped', lastError);
        }
        const result = o.company.process(request);
        processed += 1;
        if (this.loseAnswerOfRequest && request.includes(`<${this.loseAnswerOfRequest}Rq`)) {
          this.loseAnswerOfRequest = undefined;
          return end('http-error', 'the answer was lost on its way to the service');
        }
        const percent = Number(
          (
            await call(
              'receiveResponseXML',
              result.kind === 'response' ? { ticket, response: result.qbxml, hresult: '', message: '' } : { ticket, response: '', hresult: result.hresult, message: result.message },
            )
          ).text,
        );
        if (percent < 0) {
          const lastError = (await call('getLastError', { ticket })).text;
          await call('closeConnection', { ticket });
          return end('error', lastError);
        }
        if (percent >= 100) {
          const closing = (await call('closeConnection', { ticket })).text;
          return end('finished', closing);
        }
      }
    } catch (error) {
      if (error instanceof HttpFailure || error instanceof SoapRequestError || error instanceof TypeError) return end('http-error', (error as Error).message);
      throw error;
    }
  }
}

class HttpFailure extends Error {}
