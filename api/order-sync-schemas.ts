import { Type, type TSchema, type TSchemaOptions } from 'typebox';

export function Nullable<T extends TSchema>(schema: T, options?: TSchemaOptions) {
  return Type.Union([schema, Type.Null()], options);
}

const rowStatusDescription = 'pending · syncing · synced · failed (retries on its own) · waiting (needs a person) · skipped (cancelled order) · halted (the route stopped posting; booked once released)';

export const OrderSyncRowStatus = Type.Union(
  [Type.Literal('pending'), Type.Literal('syncing'), Type.Literal('synced'), Type.Literal('failed'), Type.Literal('waiting'), Type.Literal('skipped'), Type.Literal('halted')],
  { description: rowStatusDescription },
);

export const RouteParams = Type.Object({
  routeId: Type.String({ minLength: 1, maxLength: 200 }),
});

export const OrderParams = Type.Object({
  routeId: Type.String({ minLength: 1, maxLength: 200 }),
  orderId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: "The shop's order id, e.g. Shopify's numeric REST id." }),
});

/** One order as the database knows it (order_syncs). */
export const OrderSyncRow = Type.Object({
  routeId: Type.String(),
  orderId: Type.String(),
  orderName: Nullable(Type.String()),
  workflowId: Type.String(),
  status: Type.String({ description: rowStatusDescription }),
  waitingFor: Nullable(Type.String({ description: 'reconnect | fix | retry' })),
  waitingOn: Nullable(Type.String({ description: '"sku:ABC-1", "tax:VAT@20", or an integration id' })),
  lastError: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
  customerNotice: Nullable(Type.String({ description: "Why the order booked under the route's fallback customer (the shop withholds customer names/emails)." })),
  ledgerDocument: Nullable(Type.Object({ id: Nullable(Type.String()), docNumber: Nullable(Type.String()) })),
  attempts: Type.Integer(),
  firstSeenAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  syncedAt: Nullable(Type.String({ format: 'date-time' })),
  changedAfterBooking: Nullable(
    Type.Object({
      kind: Type.Union([Type.Literal('cancelled'), Type.Literal('total_changed')]),
      message: Type.String({ description: 'What changed in the shop and what to do in the ledger.' }),
      bookedTotal: Nullable(Type.String()),
      shopTotal: Type.Optional(Type.String()),
      shopUpdatedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
    { description: 'Set when the shop changed or cancelled the order after it was booked: ledgerbridge does not edit booked documents.' },
  ),
});

const SkuSuggestion = Type.Object({
  sku: Type.String(),
  candidates: Type.Array(Type.Object({ itemId: Type.String(), name: Type.String(), sku: Nullable(Type.String()) })),
});

/** The running workflow's own view (orderSyncStatusQuery). */
export const LiveOrderSyncStatus = Type.Object({
  state: Type.String({ description: 'syncing · waiting_for_reconnect · waiting_for_fix · waiting_for_retry · synced · already_synced · skipped' }),
  orderName: Nullable(Type.String()),
  waitingOn: Nullable(Type.String()),
  lastError: Nullable(
    Type.Object({
      code: Type.String(),
      message: Type.String(),
      detail: Type.String({ description: 'For an engineer: status code, platform error, body excerpt.' }),
      suggestions: Type.Array(SkuSuggestion, { description: 'For unknown SKUs: ledger items that are near matches.' }),
    }),
  ),
  ledgerDocument: Nullable(Type.Object({ id: Type.String(), docNumber: Type.String() })),
  attempts: Type.Integer(),
});

export const OrderSyncDetail = Type.Object({
  order: Nullable(OrderSyncRow, { description: 'Null while a just-started sync has not recorded anything yet.' }),
  workflow: Nullable(
    Type.Object({
      workflowId: Type.String(),
      runId: Type.String(),
      status: Type.String({ description: 'Temporal execution status: RUNNING, COMPLETED, FAILED, TERMINATED, …' }),
      live: Nullable(LiveOrderSyncStatus, { description: 'Asked of the running workflow; null when it is closed or did not answer in time.' }),
      liveUnavailableReason: Nullable(Type.String()),
    }),
  ),
  truncatedFields: Type.Array(
    Type.Object({
      field: Type.String(),
      fullText: Type.String(),
      limit: Type.Integer({ description: 'Characters the ledger accepted.' }),
      recordedAt: Type.String({ format: 'date-time' }),
    }),
    { description: 'Fields the ledger could only take truncated, with their full text.' },
  ),
});

export const StartedSync = Type.Object({ workflowId: Type.String(), runId: Type.String() });
export const SignalSent = Type.Object({ workflowId: Type.String(), signal: Type.String() });
