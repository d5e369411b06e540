import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { eq } from 'drizzle-orm';
import type { ApiDeps } from './api-deps.js';
import type { BackgroundResumptions } from './background-resumptions.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';
import { RouteParams } from './order-sync-schemas.js';
import { requireSyncRoute } from './sync-route-lookup.js';
import { saveSkuMapping, saveTaxMapping } from './mapping-actions.js';
import { skuMappings, taxMappings } from '../db/schema.js';

const SkuMapping = Type.Object({ routeId: Type.String(), sku: Type.String(), ledgerItemId: Type.String(), createdAt: Type.String({ format: 'date-time' }) });
const TaxMapping = Type.Object({ routeId: Type.String(), taxKey: Type.String(), ledgerTaxCodeId: Type.String(), createdAt: Type.String({ format: 'date-time' }) });
const resumedDescription =
  'How many orders and refunds waiting on this mapping (or refused by the ledger at the receipt) were queued to resume. They are signalled in the background at the bounded ' +
  'replay rate, so a large backlog cannot hold the request open or flood the platforms.';

// Path params: SKUs and tax keys hold "/", spaces, "+", "@" and ":" ("title:Gift card"). Clients send
// them encodeURIComponent-ed; the router decodes the segment, "%2F" included, and "+" stays a plus.
const keyParam = (description: string) => Type.String({ minLength: 1, maxLength: 500, description });

export function mappingRoutes(deps: ApiDeps, resumptions: BackgroundResumptions): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = deps;
    const view = <T extends { createdAt: Date }>(row: T) => ({ ...row, createdAt: row.createdAt.toISOString() });

    app.get(
      '/routes/:routeId/sku-mappings',
      {
        schema: {
          summary: 'List SKU mappings',
          tags: ['mappings'],
          params: RouteParams,
          response: { 200: Type.Object({ mappings: Type.Array(SkuMapping) }), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        await requireSyncRoute(db, request.params.routeId);
        const rows = await db.select().from(skuMappings).where(eq(skuMappings.routeId, request.params.routeId)).orderBy(skuMappings.sku);
        return { mappings: rows.map(view) };
      },
    );

    app.put(
      '/routes/:routeId/sku-mappings/:sku',
      {
        schema: {
          summary: 'Map a SKU to a ledger item',
          description:
            'Creates or replaces the mapping, then resumes every order and refund of the route waiting on "sku:<sku>", and those whose receipt the ledger ' +
            'refused (they map every line again).',
          tags: ['mappings'],
          params: Type.Object({
            routeId: RouteParams.properties.routeId,
            sku: keyParam('The SKU exactly as the shop sends it (or "title:<line title>" for lines without one), URL-encoded.'),
          }),
          body: Type.Object({ ledgerItemId: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ mapping: SkuMapping, resumed: Type.Integer({ description: resumedDescription }) }),
            404: ErrorResponse,
            ...operatorErrorResponses,
          },
        },
      },
      async (request) => {
        const { routeId, sku } = request.params;
        await requireSyncRoute(db, routeId);
        const { mapping, resumed } = await saveSkuMapping(db, resumptions, routeId, sku, request.body.ledgerItemId);
        request.log.info({ routeId, sku, ledgerItemId: request.body.ledgerItemId, resumed }, 'sku mapping saved');
        return { mapping: view(mapping), resumed };
      },
    );

    app.get(
      '/routes/:routeId/tax-mappings',
      {
        schema: {
          summary: 'List tax mappings',
          tags: ['mappings'],
          params: RouteParams,
          response: { 200: Type.Object({ mappings: Type.Array(TaxMapping) }), 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        await requireSyncRoute(db, request.params.routeId);
        const rows = await db.select().from(taxMappings).where(eq(taxMappings.routeId, request.params.routeId)).orderBy(taxMappings.taxKey);
        return { mappings: rows.map(view) };
      },
    );

    app.put(
      '/routes/:routeId/tax-mappings/:taxKey',
      {
        schema: {
          summary: 'Map a tax key to a ledger tax code',
          description:
            'Creates or replaces the mapping, then resumes every order and refund of the route waiting on "tax:<taxKey>", and those whose receipt the ledger ' +
            'refused (they map every line again).',
          tags: ['mappings'],
          params: Type.Object({
            routeId: RouteParams.properties.routeId,
            taxKey: keyParam('"<title>@<rate percent>", or several joined by "+" ("CA State Tax@6+LA County Tax@1.25"), URL-encoded.'),
          }),
          body: Type.Object({ ledgerTaxCodeId: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ mapping: TaxMapping, resumed: Type.Integer({ description: resumedDescription }) }),
            404: ErrorResponse,
            ...operatorErrorResponses,
          },
        },
      },
      async (request) => {
        const { routeId, taxKey } = request.params;
        await requireSyncRoute(db, routeId);
        const { mapping, resumed } = await saveTaxMapping(db, resumptions, routeId, taxKey, request.body.ledgerTaxCodeId);
        request.log.info({ routeId, taxKey, ledgerTaxCodeId: request.body.ledgerTaxCodeId, resumed }, 'tax mapping saved');
        return { mapping: view(mapping), resumed };
      },
    );
  };
}
