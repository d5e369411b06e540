import type { QboCompany } from './company.js';
import { objectNotFoundFault, qboTime, validationFault } from './fault-bodies.js';
import { validateCustomer, validateItem } from './name-list-rules.js';
import type { QboRecord } from './query-evaluation.js';

/** Fields QBO sets itself: a full update leaves them, whatever the body says (or omits). */
const SET_BY_QBO = new Set(['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'FullyQualifiedName', 'Balance', 'BalanceWithJobs', 'PrintOnCheckName']);
/** Read-only after create: a customer's currency (quickbooks-online.md §6, §12). Never cleared by a full update. */
const FIXED_AFTER_CREATE: Record<string, string[]> = { Customer: ['CurrencyRef'], Item: [] };

/**
 * An update of a Customer or Item: POST to the create URL with the record's `Id` and `SyncToken` (both
 * documentedRequired ALL in Intuit's XSD facts) [S: quickbooks-online.md §4]. A SyncToken other than the record's
 * current one is refused with 5010 Stale Object Error [S]; `sparse: true` changes only the fields sent, otherwise
 * the body replaces every writable field (those it omits are cleared) [S]. The same rules as a create then apply
 * to the result (names unique among other records, lengths, no ':'). The SyncToken goes up by one.
 */
export function updateNameListRecord(company: QboCompany, entityName: 'Customer' | 'Item', body: QboRecord, nowMs: number): QboRecord {
  const id = String(body.Id);
  if (body.SyncToken === undefined || body.SyncToken === null || String(body.SyncToken) === '') {
    throw validationFault(nowMs, {
      Message: 'Required param missing, need to supply the required value for the API',
      Detail: 'Required parameter SyncToken is missing in the request',
      code: '2020',
      element: 'SyncToken',
    });
  }
  const current = company.get(entityName, id);
  if (!current) throw objectNotFoundFault(nowMs, `Object Not Found : Something you're trying to use has been made inactive or deleted. ${entityName} Id=${id}`);
  if (String(body.SyncToken) !== String(current.SyncToken)) {
    throw validationFault(nowMs, {
      Message: 'Stale Object Error',
      Detail: `Stale Object Error : You and another user were working on this at the same time. The other user finished before you did, so your work was not saved. ${entityName} Id=${id} SyncToken=${String(body.SyncToken)} current=${String(current.SyncToken)}`,
      code: '5010',
      element: '',
    });
  }
  const sent = Object.fromEntries(Object.entries(body).filter(([field]) => !SET_BY_QBO.has(field)));
  const kept = Object.fromEntries(
    Object.entries(current).filter(([field]) => SET_BY_QBO.has(field) || FIXED_AFTER_CREATE[entityName]!.includes(field) || (body.sparse === true && !(field in sent))),
  );
  const fixed = Object.fromEntries(FIXED_AFTER_CREATE[entityName]!.filter((field) => field in current).map((field) => [field, current[field]]));
  const merged = { ...kept, ...sent, ...fixed };
  const validated = entityName === 'Customer' ? validateCustomer(company, merged, nowMs, id) : validateItem(company, merged, nowMs, id);
  const next: QboRecord = JSON.parse(
    JSON.stringify({
      ...validated,
      ...(current.Balance !== undefined ? { Balance: current.Balance } : {}),
      Id: id,
      SyncToken: String(Number(current.SyncToken) + 1),
      domain: 'QBO',
      sparse: false,
      MetaData: { ...(current.MetaData as QboRecord), LastUpdatedTime: qboTime(nowMs) },
    }),
  );
  company.replace(entityName, next);
  return next;
}
