import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dropConnection } from '../common/fault-injector.js';
import type { QboCompany } from './company.js';
import type { QboEmulatorState } from './emulator-state.js';
import {
  authenticationFault,
  objectNotFoundFault,
  QboFaultResponse,
  qboTime,
  queryParserFault,
  serverFault,
  throttleFault,
  validationFault,
} from './fault-bodies.js';
import { checkCurrencyUsable, checkCustomerCurrency, validateCompanyCurrency } from './currency-rules.js';
import { checkEntityBody, type CheckedEntity } from './entity-schema-check.js';
import { validateCustomer, validateItem } from './name-list-rules.js';
import { evaluateQuery, type QboRecord } from './query-evaluation.js';
import { parseQuery, QuerySyntaxError } from './query-language.js';
import { validateRefundReceipt, validateSalesReceipt } from './sales-receipt-rules.js';
import { validateDeposit } from './deposit-rules.js';
import { updateNameListRecord } from './name-list-updates.js';

const ACCOUNTING_SCOPE = 'com.intuit.quickbooks.accounting';

/** URL segment → entity name, and whether the API lets us create it here. */
const ENTITIES: Record<string, { name: string; creatable: boolean }> = {
  customer: { name: 'Customer', creatable: true },
  item: { name: 'Item', creatable: true },
  salesreceipt: { name: 'SalesReceipt', creatable: true },
  refundreceipt: { name: 'RefundReceipt', creatable: true },
  deposit: { name: 'Deposit', creatable: true },
  account: { name: 'Account', creatable: false },
  taxcode: { name: 'TaxCode', creatable: false },
  taxrate: { name: 'TaxRate', creatable: false },
  companycurrency: { name: 'CompanyCurrency', creatable: true },
};
const QUERYABLE = new Set(['Customer', 'Item', 'SalesReceipt', 'RefundReceipt', 'Deposit', 'Account', 'TaxCode', 'TaxRate', 'CompanyInfo', 'Preferences', 'CompanyCurrency', 'ExchangeRate']);

interface ApiContext {
  request: FastifyRequest;
  company: QboCompany;
  nowMs: number;
  query: Record<string, string | undefined>;
}

interface ApiResult {
  status: number;
  body: unknown;
  outcome?: 'replayed';
}

type RealmParams = { realmId: string; entity?: string; id?: string };

export function registerAccountingRoutes(app: FastifyInstance, state: QboEmulatorState): void {
  const now = () => state.clock.now();

  /** Faults, then authentication, then the realm's rate limit — every API call goes through here. */
  async function admit(request: FastifyRequest, realmId: string): Promise<QboCompany> {
    const decision = await state.faults.before();
    if (decision === 'fail') throw Object.assign(serverFault(now(), state.faults.current.failStatus), { injected: true });
    if (decision === 'throttle') throw throttleFault(now(), state.settings.throttleRetryAfterSeconds, state.settings.throttleBodyFormat);
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const check = state.grants.checkAccessToken(token);
    if (!check.ok) throw authenticationFault(now(), check.reason, state.settings.authFaultEnvelope);
    const company = state.companies.get(realmId);
    if (check.realmId !== realmId || !company) throw authenticationFault(now(), 'wrong_realm', state.settings.authFaultEnvelope);
    if (!check.scopes.includes(ACCOUNTING_SCOPE)) {
      throw new QboFaultResponse(403, {
        Fault: {
          Error: [{ Message: 'message=AuthorizationFailed; errorCode=003100; statusCode=403', Detail: '', code: '3100', element: '' }],
          type: 'AuthorizationFault',
        },
        time: qboTime(now()),
      });
    }
    // The 11th request of a company still being processed is refused like one over the rate.
    if (state.inFlight(realmId) >= state.settings.rateLimits.maxInFlight) throw throttleFault(now(), null, state.settings.throttleBodyFormat);
    const rate = state.limiter.admit(realmId);
    // Production sends no Retry-After; when one is configured, the window's real wait is sent.
    const retryAfter = state.settings.throttleRetryAfterSeconds === null ? null : !rate.allowed ? rate.retryAfterSeconds : null;
    if (!rate.allowed) throw throttleFault(now(), retryAfter, state.settings.throttleBodyFormat);
    return company;
  }

  function send(reply: FastifyReply, status: number, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}) {
    reply.code(status).headers(headers).type(contentType);
    return reply.send(typeof body === 'string' ? body : JSON.stringify(body));
  }

  function apiRoute(handler: (context: ApiContext) => ApiResult | Promise<ApiResult>) {
    return async (request: FastifyRequest<{ Params: RealmParams }>, reply: FastifyReply) => {
      const realmId = request.params.realmId;
      const query = request.query as Record<string, string | undefined>;
      const requestId = query.requestid ?? null;
      const base = { method: request.method, url: request.url, realmId, requestId };
      let result: ApiResult;
      let admitted = false;
      try {
        const company = await admit(request, realmId);
        admitted = true;
        state.enter(realmId);
        if (state.settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.settings.latencyMs));
        result = await handler({ request, company, nowMs: now(), query });
      } catch (error) {
        if (!(error instanceof QboFaultResponse)) throw error;
        const marks = error as { injected?: boolean; replayed?: boolean };
        const outcome = marks.injected ? 'fault-injected' : marks.replayed ? 'replayed' : error.status === 429 ? 'throttled' : 'answered';
        state.logRequest({ ...base, status: error.status, outcome });
        return send(reply, error.status, error.body, error.contentType, error.headers);
      } finally {
        if (admitted) state.leave(realmId);
      }
      if (takeWriteDrop(request) || state.faults.takeDrop()) {
        state.logRequest({ ...base, status: null, outcome: 'dropped' });
        return dropConnection(request, reply);
      }
      state.logRequest({ ...base, status: result.status, outcome: result.outcome ?? 'answered' });
      return send(reply, result.status, result.body);
    };
  }

  /** A create of an entity whose next answers are to be dropped (control.dropNextWrites): consumes one. */
  function takeWriteDrop(request: FastifyRequest): boolean {
    if (request.method !== 'POST') return false;
    const entity = ENTITIES[(request.params as RealmParams).entity ?? '']?.name;
    const left = entity ? (state.dropNextWrites.get(entity) ?? 0) : 0;
    if (left <= 0) return false;
    state.dropNextWrites.set(entity!, left - 1);
    return true;
  }

  const wrap = (entity: string, record: QboRecord, nowMs: number) => ({ [entity]: record, time: qboTime(nowMs) });

  app.get('/v3/company/:realmId/companyinfo/:id', apiRoute(({ company, nowMs, request }) => {
    const id = (request.params as RealmParams).id;
    if (id !== company.realmId && id !== '1') throw objectNotFoundFault(nowMs, `Object Not Found : CompanyInfo ${String(id)}`);
    return { status: 200, body: wrap('CompanyInfo', company.companyInfo(), nowMs) };
  }));

  app.get('/v3/company/:realmId/preferences', apiRoute(({ company, nowMs }) => ({
    status: 200,
    body: wrap('Preferences', company.preferencesRecord(), nowMs),
  })));

  const runQuery = (company: QboCompany, statement: string | undefined, nowMs: number): ApiResult => {
    if (!statement || statement.trim() === '') throw queryParserFault(nowMs, 'QueryParserError: query is empty');
    let parsed;
    try {
      parsed = parseQuery(statement);
    } catch (error) {
      if (error instanceof QuerySyntaxError) throw queryParserFault(nowMs, `QueryParserError: ${error.message}`);
      throw error;
    }
    if (!QUERYABLE.has(parsed.entity)) throw queryParserFault(nowMs, `QueryValidationError: Invalid context declaration : ${parsed.entity}`);
    const rows =
      parsed.entity === 'CompanyInfo' ? [company.companyInfo()] : parsed.entity === 'Preferences' ? [company.preferencesRecord()] : company.all(parsed.entity);
    const result = evaluateQuery(parsed, rows, { caseSensitive: state.options.queryStringMatch === 'case-sensitive' });
    const queryResponse =
      'totalCount' in result
        ? { totalCount: result.totalCount }
        : result.rows.length === 0
          ? {}
          : { [parsed.entity]: result.rows, startPosition: result.startPosition, maxResults: result.maxResults };
    return { status: 200, body: { QueryResponse: queryResponse, time: qboTime(nowMs) } };
  };

  // GET exchangerate?sourcecurrencycode=EUR&asofdate=YYYY-MM-DD: the rate of that day into the home currency [S].
  app.get('/v3/company/:realmId/exchangerate', apiRoute(({ company, nowMs, query }) => {
    const source = query.sourcecurrencycode ?? '';
    const asOf = query.asofdate ?? new Date(nowMs).toISOString().slice(0, 10);
    const rate = company
      .all('ExchangeRate')
      .filter((entry) => entry.SourceCurrencyCode === source && entry.TargetCurrencyCode === company.homeCurrency && String(entry.AsOfDate) <= asOf)
      .sort((a, b) => String(b.AsOfDate).localeCompare(String(a.AsOfDate)))[0];
    if (!rate) throw objectNotFoundFault(nowMs, `Object Not Found : no exchange rate from ${source} to ${company.homeCurrency} as of ${asOf}`);
    return { status: 200, body: wrap('ExchangeRate', rate, nowMs) };
  }));

  app.get('/v3/company/:realmId/query', apiRoute(({ company, nowMs, query }) => runQuery(company, query.query, nowMs)));
  app.post('/v3/company/:realmId/query', apiRoute(({ company, nowMs, request }) =>
    runQuery(company, typeof request.body === 'string' ? request.body : undefined, nowMs),
  ));

  app.get('/v3/company/:realmId/:entity/:id', apiRoute(({ company, nowMs, request }) => {
    const params = request.params as RealmParams;
    const entity = ENTITIES[params.entity ?? ''];
    if (!entity) throw validationFault(nowMs, { Message: 'Unsupported Operation', Detail: `Operation not supported: ${String(params.entity)}`, code: '500' });
    const record = company.readForAnswer(entity.name, params.id ?? '');
    if (!record) throw objectNotFoundFault(nowMs, `Object Not Found : Something you're trying to use has been made inactive or deleted. ${entity.name} Id=${String(params.id)}`);
    return { status: 200, body: wrap(entity.name, record, nowMs) };
  }));

  app.post('/v3/company/:realmId/:entity', apiRoute(({ company, nowMs, request, query }) => {
    const params = request.params as RealmParams;
    const entity = ENTITIES[params.entity ?? ''];
    if (!entity || !entity.creatable || query.operation !== undefined) {
      throw validationFault(nowMs, { Message: 'Unsupported Operation', Detail: `Operation not supported by the emulator: ${String(params.entity)}`, code: '500' });
    }
    // requestid: the same id for the same company replays the first answer and writes nothing (see RequestIdMode).
    const mode = state.settings.requestIdMode;
    const requestId = mode === 'ignore' ? null : (query.requestid ?? null);
    if (requestId !== null) {
      const cached = company.replayCache.get(requestId);
      if (cached) {
        if (cached.status !== 200) throw Object.assign(new QboFaultResponse(cached.status, cached.body), { replayed: true });
        return { status: cached.status, body: cached.body, outcome: 'replayed' };
      }
    }
    try {
      return create(company, entity.name, request.body, query, requestId, nowMs);
    } catch (error) {
      // A fault the API itself gave (not a throttle or an outage: those never reach here) is the original answer.
      if (requestId !== null && mode === 'replay-all' && error instanceof QboFaultResponse) {
        company.replayCache.set(requestId, { status: error.status, body: error.body });
      }
      throw error;
    }
  }));

  function create(
    company: QboCompany,
    entityName: string,
    body: unknown,
    query: Record<string, string | undefined>,
    requestId: string | null,
    nowMs: number,
  ): ApiResult {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw validationFault(nowMs, { Message: 'Request has invalid or unsupported property', Detail: 'Expected a JSON object', code: '2010' });
    }
    const input = body as QboRecord;
    checkEntityBody(entityName as CheckedEntity, input, nowMs, state.options.fieldLengths ?? 'api-reference');
    // With its Id, the body is an update of that record (customers and items: what the product updates).
    if ((entityName === 'Customer' || entityName === 'Item') && input.Id !== undefined) {
      const updated = updateNameListRecord(company, entityName, input, nowMs);
      const response = wrap(entityName, updated, nowMs);
      if (requestId !== null) company.replayCache.set(requestId, { status: 200, body: response });
      return { status: 200, body: response };
    }
    const allowDuplicateDocNumber = company.preferences.duplicateDocNumbersAllowed || (query.include ?? '').split(',').includes('allowduplicatedocnum');
    const salesForm = { allowDuplicateDocNumber, taxInclusiveLineReading: state.settings.taxInclusiveLineReading, totalTaxOverride: state.settings.totalTaxOverride };
    const fields =
      entityName === 'SalesReceipt'
        ? validateSalesReceipt(company, input, nowMs, salesForm)
        : entityName === 'RefundReceipt'
          ? validateRefundReceipt(company, input, nowMs, salesForm)
          : entityName === 'Deposit'
            ? validateDeposit(company, input, nowMs)
            : entityName === 'Customer'
            ? validateCustomer(company, input, nowMs)
            : entityName === 'CompanyCurrency'
              ? validateCompanyCurrency(company, input, nowMs)
              : validateItem(company, input, nowMs);
    if (entityName === 'SalesReceipt' || entityName === 'RefundReceipt') {
      checkCustomerCurrency(company, fields, nowMs);
      checkCurrencyUsable(company, String((fields.CurrencyRef as QboRecord).value), nowMs);
    }
    const record = company.insert(entityName, fields);
    company.recordDocument(entityName, record, requestId);
    const response = wrap(entityName, record, nowMs);
    if (requestId !== null) company.replayCache.set(requestId, { status: 200, body: response });
    return { status: 200, body: response };
  }
}
