import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { dropConnection } from '../common/fault-injector.js';
import { contactErrors, createContact, updateContact } from './contact-rules.js';
import type { XeroEmulatorState } from './emulator-state.js';
import { bodyHash, lookUpKey, rememberAnswer } from './idempotency.js';
import { createBankTransaction } from './bank-transaction-rules.js';
import { createBankTransfer, deleteBankTransfer } from './bank-transfer-rules.js';
import { createCreditNote } from './credit-note-rules.js';
import { createInvoice, type Outcome, type WriteOptions } from './invoice-rules.js';
import type { XeroOrganisation, XeroRecord } from './organisation.js';
import { createItem, updateItem } from './item-rules.js';
import { createPayment } from './payment-rules.js';
import { createCurrency, publicCurrency } from './currency-rules.js';
import type { RemainingHeaders } from './rate-limits.js';
import { matchesWhere, parseWhere, WhereSyntaxError } from './where-filter.js';
import { envelope, notFound, problem, tokenExpiredDetail, validationException, XeroHttpError } from './wire-format.js';

export const API_BASE_PATH = '/api.xro/2.0';
const PAGE_SIZE = 100;

interface ApiContext {
  request: FastifyRequest;
  org: XeroOrganisation;
  query: Record<string, string | undefined>;
  nowMs: number;
}

interface ApiResult {
  status: number;
  body: unknown;
  outcome?: 'replayed';
}

/** A collection the API lists and (for some) creates; `create` returns the stored record or the refusals. */
interface Collection {
  name: string;
  records: (org: XeroOrganisation) => XeroRecord[];
  idField: string;
  create?: (org: XeroOrganisation, input: XeroRecord, options: WriteOptions) => Outcome;
  /** A POST naming an existing record (by the id in the path or in the element) updates it. */
  update?: (org: XeroOrganisation, record: XeroRecord, input: XeroRecord) => Outcome;
  /** Records hidden unless `includeArchived=true`. */
  archived?: (record: XeroRecord) => boolean;
  /** Records hidden unless `includeDeleted=true`. */
  deleted?: (record: XeroRecord) => boolean;
  /** What POST does where it is not "update or create" (BankTransfers: delete). */
  post?: (org: XeroOrganisation, input: XeroRecord, options: WriteOptions) => Outcome;
}

const COLLECTIONS: Record<string, Collection> = {
  Contacts: {
    name: 'Contacts',
    records: (org) => org.contacts,
    idField: 'ContactID',
    create: (org, input) => {
      const errors = contactErrors(org, input);
      return errors.length > 0 ? { ok: false, errors } : { ok: true, record: createContact(org, input) };
    },
    update: updateContact,
    archived: (record) => record.ContactStatus === 'ARCHIVED',
  },
  Items: { name: 'Items', records: (org) => org.items, idField: 'ItemID', create: createItem, update: updateItem },
  TaxRates: { name: 'TaxRates', records: (org) => org.taxRates, idField: 'TaxType' },
  Accounts: { name: 'Accounts', records: (org) => org.accounts, idField: 'AccountID' },
  Invoices: { name: 'Invoices', records: (org) => org.invoices, idField: 'InvoiceID', create: createInvoice },
  Payments: { name: 'Payments', records: (org) => org.payments, idField: 'PaymentID', create: createPayment },
  CreditNotes: { name: 'CreditNotes', records: (org) => org.creditNotes, idField: 'CreditNoteID', create: createCreditNote },
  BankTransactions: { name: 'BankTransactions', records: (org) => org.bankTransactions, idField: 'BankTransactionID', create: createBankTransaction },
  BankTransfers: {
    name: 'BankTransfers',
    records: (org) => org.bankTransfers,
    idField: 'BankTransferID',
    create: createBankTransfer,
    deleted: (record) => record.Status === 'DELETED',
    post: deleteBankTransfer,
  },
  Currencies: { name: 'Currencies', records: (org) => org.currencies.map(publicCurrency), idField: 'Code', create: createCurrency },
};

const PAGED = new Set(['Contacts', 'Invoices', 'CreditNotes', 'Payments', 'BankTransactions']);

function listParam(value: string | undefined): string[] | null {
  return value === undefined || value === '' ? null : value.split(',').map((part) => part.trim().toLowerCase());
}

export function registerAccountingRoutes(app: FastifyInstance, state: XeroEmulatorState): void {
  const now = () => state.clock.now();

  /** Faults, the token, the tenant, then the limits: every Accounting API call goes through here. */
  async function admit(request: FastifyRequest): Promise<{ org: XeroOrganisation; headers: RemainingHeaders }> {
    const decision = await state.faults.before();
    if (decision === 'fail') {
      throw Object.assign(new XeroHttpError(state.faults.current.failStatus, { Title: 'Service Unavailable', Status: state.faults.current.failStatus }), { injected: true });
    }
    if (decision === 'throttle') {
      throw new XeroHttpError(429, '', { 'Retry-After': '1', 'X-Rate-Limit-Problem': 'minute' });
    }
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const check = state.grants.checkAccessToken(token);
    if (!check.ok) throw check.reason === 'expired' ? problem(401, tokenExpiredDetail(check.expiredAtMs)) : problem(401, 'AuthenticationUnsuccessful');
    const tenantId = request.headers['xero-tenant-id'];
    const org = typeof tenantId === 'string' ? state.organisations.get(tenantId) : undefined;
    if (!org || !state.grants.isConnected(check.userId, org.tenantId)) throw problem(403, 'AuthenticationUnsuccessful');
    const limit = state.limits.admit(org.tenantId);
    if (!limit.allowed) {
      throw new XeroHttpError(429, '', {
        ...limit.headers,
        'X-Rate-Limit-Problem': limit.problem,
        ...(limit.retryAfterSeconds !== null ? { 'Retry-After': String(limit.retryAfterSeconds) } : {}),
      });
    }
    return { org, headers: limit.headers };
  }

  function send(reply: FastifyReply, status: number, body: unknown, headers: Record<string, string>) {
    reply.code(status).headers(headers);
    if (typeof body === 'string') return reply.type('text/plain; charset=utf-8').send(body);
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
  }

  function apiRoute(handler: (context: ApiContext) => ApiResult | Promise<ApiResult>) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const tenantHeader = request.headers['xero-tenant-id'];
      const keyHeader = request.headers['idempotency-key'];
      const base = {
        method: request.method,
        url: request.url,
        tenantId: typeof tenantHeader === 'string' ? tenantHeader : null,
        idempotencyKey: typeof keyHeader === 'string' ? keyHeader : null,
      };
      let result: ApiResult;
      let headers: Record<string, string> = {};
      let entered: string | null = null;
      try {
        const admitted = await admit(request);
        headers = { ...admitted.headers };
        entered = admitted.org.tenantId;
        state.limits.enter(entered);
        if (state.settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, state.settings.latencyMs));
        result = await handler({ request, org: admitted.org, query: request.query as Record<string, string | undefined>, nowMs: now() });
      } catch (error) {
        if (!(error instanceof XeroHttpError)) throw error;
        const marks = error as { injected?: boolean; replayed?: boolean };
        const outcome = marks.injected ? 'fault-injected' : marks.replayed ? 'replayed' : error.status === 429 ? 'throttled' : 'answered';
        state.logRequest({ ...base, status: error.status, outcome });
        return send(reply, error.status, error.body, { ...headers, ...error.headers });
      } finally {
        if (entered !== null) state.limits.leave(entered);
      }
      const dropWrite = request.method !== 'GET' && state.dropNextWrites > 0 && state.dropNextWrites-- > 0;
      if (dropWrite || state.faults.takeDrop()) {
        state.logRequest({ ...base, status: null, outcome: 'dropped' });
        return dropConnection(request, reply);
      }
      state.logRequest({ ...base, status: result.status, outcome: result.outcome ?? 'answered' });
      return send(reply, result.status, result.body, headers);
    };
  }

  function filtered(collection: Collection, org: XeroOrganisation, query: Record<string, string | undefined>): XeroRecord[] {
    let rows = collection.records(org);
    if (collection.archived && query.includeArchived !== 'true') rows = rows.filter((row) => !collection.archived!(row));
    if (collection.deleted && query.includeDeleted !== 'true') rows = rows.filter((row) => !collection.deleted!(row));
    const ids = listParam(query.IDs);
    if (ids) rows = rows.filter((row) => ids.includes(String(row[collection.idField]).toLowerCase()));
    const numbers = listParam(query.InvoiceNumbers);
    if (numbers) rows = rows.filter((row) => numbers.includes(String(row.InvoiceNumber ?? '').toLowerCase()));
    const references = listParam(query.References);
    if (references) rows = rows.filter((row) => references.includes(String(row.Reference ?? '').toLowerCase()));
    const contactIds = listParam(query.ContactIDs);
    if (contactIds) rows = rows.filter((row) => contactIds.includes(String((row.Contact as XeroRecord | undefined)?.ContactID ?? '').toLowerCase()));
    const statuses = listParam(query.Statuses);
    if (statuses) rows = rows.filter((row) => statuses.includes(String(row.Status ?? '').toLowerCase()));
    if (query.searchTerm) {
      const term = query.searchTerm.toLowerCase();
      const fields = collection.name === 'Invoices' ? ['InvoiceNumber', 'Reference'] : ['Name', 'FirstName', 'LastName', 'ContactNumber', 'EmailAddress'];
      rows = rows.filter((row) => fields.some((field) => String(row[field] ?? '').toLowerCase().includes(term)));
    }
    if (query.where) {
      let tree;
      try {
        tree = parseWhere(query.where);
      } catch (error) {
        if (error instanceof WhereSyntaxError) throw new XeroHttpError(400, { Type: 'QueryParseException', Message: `Could not parse where clause: ${error.message}` });
        throw error;
      }
      const insensitive = state.settings.whereStringMatch === 'case-insensitive';
      rows = rows.filter((row) => matchesWhere(tree, row, insensitive));
    }
    if (PAGED.has(collection.name) && query.page !== undefined) {
      const page = Math.max(1, Number(query.page) || 1);
      const size = Math.min(1000, Math.max(1, Number(query.pageSize) || PAGE_SIZE));
      rows = rows.slice((page - 1) * size, page * size);
    }
    return rows;
  }

  app.get(`${API_BASE_PATH}/Organisation`, apiRoute(({ org, nowMs }) => ({ status: 200, body: envelope('Organisations', [org.organisationRecord()], nowMs) })));

  for (const collection of Object.values(COLLECTIONS)) {
    app.get(`${API_BASE_PATH}/${collection.name}`, apiRoute(({ org, query, nowMs }) => ({
      status: 200,
      body: envelope(collection.name, filtered(collection, org, query), nowMs),
    })));
    app.get<{ Params: { id: string } }>(`${API_BASE_PATH}/${collection.name}/:id`, apiRoute(({ org, request, nowMs }) => {
      const id = (request.params as { id: string }).id.toLowerCase();
      const record = collection.records(org).find((row) => String(row[collection.idField]).toLowerCase() === id || (collection.name === 'Invoices' && String(row.InvoiceNumber).toLowerCase() === id));
      if (!record) throw notFound();
      return { status: 200, body: envelope(collection.name, [record], nowMs) };
    }));
    if (!collection.create) continue;
    const creates = collection.create;
    // PUT creates; POST is "update or create": without an id it creates the same way [C: xero-node method names],
    // except where the spec makes POST something else (BankTransfers: delete); POST /{collection}/{id} updates that
    // record [C: xero-node updateContact, updateItem].
    const routes = [
      { method: 'PUT' as const, url: `${API_BASE_PATH}/${collection.name}` },
      { method: 'POST' as const, url: `${API_BASE_PATH}/${collection.name}` },
      ...(collection.update ? [{ method: 'POST' as const, url: `${API_BASE_PATH}/${collection.name}/:id` }] : []),
    ];
    for (const { method, url } of routes) {
      const create = method === 'POST' && collection.post ? collection.post : creates;
      app.route({
        method,
        url,
        handler: apiRoute(({ org, request, query, nowMs }) => {
          const pathId = (request.params as { id?: string }).id ?? null;
          const key = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : null;
          const hash = bodyHash(method, pathId === null ? collection.name : `${collection.name}/${pathId}`, request.body);
          const replay = lookUpKey(org, state.settings, key, hash);
          if (replay.kind === 'replay') {
            if (replay.status !== 200) throw Object.assign(new XeroHttpError(replay.status, replay.body), { replayed: true });
            return { status: 200, body: replay.body, outcome: 'replayed' };
          }
          try {
            const writeOne = (_org: XeroOrganisation, element: XeroRecord, options: WriteOptions): Outcome => {
              const id = pathId ?? (method === 'POST' && typeof element[collection.idField] === 'string' ? String(element[collection.idField]) : null);
              if (id === null || !collection.update) return create(org, element, options);
              const record = collection.records(org).find((row) => String(row[collection.idField]).toLowerCase() === id.toLowerCase());
              if (!record) throw notFound();
              return collection.update(org, record, element);
            };
            const result = write(org, collection, writeOne, request.body, { summarize: query.summarizeErrors !== 'false', unitDp: query.unitdp === '4' ? 4 : 2 }, nowMs);
            rememberAnswer(org, key, hash, result.status, result.body, state.settings);
            return result;
          } catch (error) {
            if (error instanceof XeroHttpError && error.status === 400) rememberAnswer(org, key, hash, 400, error.body, state.settings);
            throw error;
          }
        }),
      });
    }
  }

  function write(
    org: XeroOrganisation,
    collection: Collection,
    create: Collection['create'] & {},
    body: unknown,
    { summarize, unitDp }: { summarize: boolean; unitDp: 2 | 4 },
    nowMs: number,
  ): ApiResult {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationException([{ ValidationErrors: [{ Message: 'The request body is not a JSON object.' }] }]);
    const wrapped = (body as XeroRecord)[collection.name];
    const elements = Array.isArray(wrapped) ? (wrapped as XeroRecord[]) : [body as XeroRecord];
    if (elements.length === 0) throw validationException([{ ValidationErrors: [{ Message: `No ${collection.name} were supplied.` }] }]);
    const answers: XeroRecord[] = [];
    const failed: XeroRecord[] = [];
    for (const element of elements) {
      const outcome = create(org, element, { unitDp });
      if (outcome.ok) answers.push(summarize ? outcome.record : { ...outcome.record, StatusAttributeString: 'OK' });
      else {
        // Xero echoes the refused element with its errors (and, on invoices, HasErrors) [S: Xero-NetStandard #156].
        const refused = { ...element, ...(collection.name === 'Invoices' || collection.name === 'CreditNotes' ? { HasErrors: true } : {}), ValidationErrors: outcome.errors.map((Message) => ({ Message })) };
        failed.push(refused);
        answers.push({ ...refused, StatusAttributeString: 'ERROR' });
      }
    }
    if (failed.length > 0 && summarize) throw validationException(failed);
    return { status: 200, body: envelope(collection.name, answers, nowMs) };
  }
}
