import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { desc, eq } from 'drizzle-orm';
import type { ApiDeps } from './api-deps.js';
import { notFound } from './api-error.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';
import { privacyRequests } from '../db/schema.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, description: 'Privacy request id' }) });
const tags = ['privacy'];

const PrivacyRequestView = Type.Object({
  id: Type.Integer(),
  topic: Type.String({ description: 'customers/data_request | customers/redact | shop/redact' }),
  shop: Type.String(),
  customerId: Type.Union([Type.String(), Type.Null()]),
  orderIds: Type.Array(Type.String()),
  receivedAt: Type.String(),
  completedAt: Type.Union([Type.String(), Type.Null()]),
  erased: Type.Union([Type.Object({ orderRowsErased: Type.Integer(), truncatedTextsErased: Type.Integer() }), Type.Null()], {
    description: 'What a redaction erased from our database.',
  }),
  exportUrl: Type.Union([Type.String(), Type.Null()], { description: 'Where to download the export of a data request.' }),
});

type Row = typeof privacyRequests.$inferSelect;

function view(row: Row) {
  const result = (row.result ?? {}) as { erased?: { orderRowsErased: number; truncatedTextsErased: number }; export?: unknown };
  return {
    id: row.id,
    topic: row.topic,
    shop: row.shop,
    customerId: row.customerId,
    orderIds: row.orderIds,
    receivedAt: row.receivedAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    erased: result.erased ?? null,
    exportUrl: row.topic === 'customers/data_request' && result.export ? `/privacy-requests/${row.id}/export` : null,
  };
}

/** Operator routes: what Shopify's privacy webhooks asked and what we did; the export of a data request. */
export function privacyRequestRoutes(deps: ApiDeps): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const find = async (id: number) => {
      const [row] = await deps.db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
      if (!row) throw notFound(`There is no privacy request ${id}.`);
      return row;
    };

    app.get(
      '/privacy-requests',
      { schema: { summary: "Shopify's privacy requests and what was done", tags, response: { 200: Type.Object({ requests: Type.Array(PrivacyRequestView) }), ...operatorErrorResponses } } },
      async () => ({ requests: (await deps.db.select().from(privacyRequests).orderBy(desc(privacyRequests.id))).map(view) }),
    );

    app.get(
      '/privacy-requests/:id',
      { schema: { summary: 'One privacy request', tags, params: IdParams, response: { 200: PrivacyRequestView, 404: ErrorResponse, ...operatorErrorResponses } } },
      async (request) => view(await find(request.params.id)),
    );

    app.get(
      '/privacy-requests/:id/export',
      {
        schema: {
          summary: "Download what we hold about a customer (customers/data_request), to hand to the merchant",
          tags,
          params: IdParams,
          response: { 200: Type.Unknown(), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const row = await find(request.params.id);
        const exported = (row.result as { export?: unknown } | null)?.export;
        if (row.topic !== 'customers/data_request' || !exported) throw notFound(`Privacy request ${row.id} is not a data request with an export.`);
        return reply
          .header('content-disposition', `attachment; filename="ledgerbridge-customer-${row.customerId ?? 'unknown'}-${row.id}.json"`)
          .send({
            shop: row.shop,
            customerId: row.customerId,
            ordersRequested: row.orderIds,
            requestedAt: row.receivedAt.toISOString(),
            ...(exported as object),
          });
      },
    );
  };
}
