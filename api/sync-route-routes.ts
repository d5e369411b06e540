import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { unusedPrefix } from '../domain/document-number.js';
import { documentNumberPrefixWait } from '../domain/sync-error-types.js';
import { integrations, syncRoutes } from '../db/schema.js';
import type { RouteOption } from '../platforms/platform.js';
import { effectiveRouteOptions, mergeRouteOptions, RouteOptionError } from '../platforms/route-options.js';
import { resumeParkedPayouts } from './parked-payouts.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, conflict, notFound } from './api-error.js';
import type { BackgroundResumptions } from './background-resumptions.js';
import { keepAuditSchedule } from '../runtime/reconciliation-audit-schedule.js';
import { keepPayoutPollSchedule } from '../runtime/payout-poll-schedule.js';
import { ErrorResponse, operatorErrorResponses } from './error-response-schema.js';

const DocumentNumberPrefix = Type.Union([Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,7}$' }), Type.Null()], {
  description:
    'Put before every document number this route books ("B-" makes order #1001 document "B-1001"). Shops that book into one ' +
    'ledger need different prefixes, as each has its own "#1001". Up to 8 characters: letters, digits, ".", "_", "/", "-".',
});

const FallbackCustomerName = Type.Union([Type.String({ minLength: 1, maxLength: 100, pattern: '^[^:]+$' }), Type.Null()], {
  description:
    'The ledger customer orders book under when the shop withholds customer names and emails, and guest orders that name nobody (no ":"). ' +
    'A ledger whose customers have one currency (QuickBooks multicurrency) gets one per currency: "<name> (EUR)" for a currency other than its home currency.',
});

const SyncRoute = Type.Object({
  id: Type.String(),
  sourceIntegrationId: Type.String(),
  targetIntegrationId: Type.String(),
  documentNumberPrefix: Type.Union([Type.String(), Type.Null()]),
  fallbackCustomerName: Type.Union([Type.String(), Type.Null()], {
    description:
      'Ledger customer for orders whose shop withholds customer names and emails (null = "Shopify customer") and for guest orders that name nobody (null = "Online customer"); one per currency in a multicurrency ledger.',
  }),
  ledgerOptions: Type.Record(Type.String(), Type.String(), {
    description:
      "What this route books with, for each option its ledger declares (Xero: saleDocument): the route's own choice, else the deployment's default.",
  }),
  createdAt: Type.String({ format: 'date-time' }),
});

type SyncRouteRow = typeof syncRoutes.$inferSelect;

/** "saleDocument (Xero #…): 'invoice-and-payment' | 'receive-money'": the options each installed ledger takes, for the API's description. */
function describeLedgerOptions(deps: ApiDeps): string {
  const ledgers = (deps.platforms?.all() ?? []).filter((platform) => platform.role === 'accounting');
  const lines = ledgers.flatMap((ledger) =>
    (ledger.role === 'accounting' ? (ledger.routeOptions ?? []) : []).map(
      (option) =>
        `${ledger.displayName}: ${option.name} = ${option.freeText ? 'a name in the ledger' : option.allowedValues.map((value) => `"${value}"`).join(' | ')} (${option.description}; default "${option.defaultValue}")`,
    ),
  );
  return lines.length > 0 ? lines.join('; ') : 'no installed ledger takes options';
}

const LedgerOptionChoices = (deps: ApiDeps) =>
  Type.Record(Type.String(), Type.String(), { description: `Options the route's ledger offers, by name. ${describeLedgerOptions(deps)}. Unset ones follow the deployment default.` });

// Null first: the API's validator coerces types, and would turn a null into "" for a string tried first.
const LedgerOptionChanges = (deps: ApiDeps) =>
  Type.Record(Type.String(), Type.Union([Type.Null(), Type.String()]), {
    description: `Options to set, by name (null: back to the deployment default). ${describeLedgerOptions(deps)}.`,
  });

/** Sync routes: which shop books into which ledger, and how its documents are numbered. */
export function syncRouteRoutes(deps: ApiDeps, resumptions: BackgroundResumptions): FastifyPluginAsync {
  return async (plugin) => {
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const declaredOptions = (platformId: string | undefined): readonly RouteOption[] => {
      if (!platformId || deps.platforms?.roleOf(platformId) !== 'accounting') return [];
      return deps.platforms.accounting(platformId).routeOptions ?? [];
    };
    const view = (row: SyncRouteRow, targetPlatform: string | undefined) => ({
      ...row,
      ledgerOptions: effectiveRouteOptions(declaredOptions(targetPlatform), row.ledgerOptions),
      createdAt: row.createdAt.toISOString(),
    });
    const targetOf = async (route: SyncRouteRow) => (await deps.db.select().from(integrations).where(eq(integrations.id, route.targetIntegrationId)))[0];
    /** The route's options after `changes`, checked against what its ledger declares (400 naming the accepted ones). */
    const checkedOptions = (target: typeof integrations.$inferSelect, current: Record<string, string>, changes: Record<string, string | null>) => {
      try {
        return mergeRouteOptions(declaredOptions(target.platform), target.displayName, current, changes);
      } catch (error) {
        if (error instanceof RouteOptionError) throw new ApiError(400, 'invalid_route_option', error.message);
        throw error;
      }
    };

    app.get(
      '/routes',
      { schema: { summary: 'List sync routes', tags: ['routes'], response: { 200: Type.Object({ routes: Type.Array(SyncRoute) }), ...operatorErrorResponses } } },
      async () => {
        const rows = await deps.db.select().from(syncRoutes).orderBy(syncRoutes.createdAt);
        const platformOf = new Map((await deps.db.select({ id: integrations.id, platform: integrations.platform }).from(integrations)).map((row) => [row.id, row.platform]));
        return { routes: rows.map((row) => view(row, platformOf.get(row.targetIntegrationId))) };
      },
    );

    app.post(
      '/routes',
      {
        schema: {
          summary: 'Create a sync route from a commerce integration to an accounting integration',
          description: '409 when another route books into the same ledger with the same document number prefix (or none).',
          tags: ['routes'],
          body: Type.Object(
            {
              sourceIntegrationId: Type.String({ minLength: 1 }),
              targetIntegrationId: Type.String({ minLength: 1 }),
              id: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' })),
              documentNumberPrefix: Type.Optional(DocumentNumberPrefix),
              fallbackCustomerName: Type.Optional(FallbackCustomerName),
              ledgerOptions: Type.Optional(LedgerOptionChoices(deps)),
            },
            { additionalProperties: false },
          ),
          response: { 201: SyncRoute, 409: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request, reply) => {
        const { sourceIntegrationId, targetIntegrationId } = request.body;
        const [source] = await deps.db.select().from(integrations).where(eq(integrations.id, sourceIntegrationId));
        const [target] = await deps.db.select().from(integrations).where(eq(integrations.id, targetIntegrationId));
        if (!source || !target) throw new ApiError(400, 'invalid_request', `No integration ${!source ? sourceIntegrationId : targetIntegrationId}.`);
        refuseWrongRoles(deps, source, target);
        const documentNumberPrefix = request.body.documentNumberPrefix ?? null;
        const ledgerOptions = checkedOptions(target, {}, request.body.ledgerOptions ?? {});
        await refuseSharedNumbering(deps, { id: null, targetIntegrationId, documentNumberPrefix }, target.displayName);
        const [route] = await deps.db
          .insert(syncRoutes)
          .values({
            id: request.body.id ?? `route-${randomBytes(5).toString('hex')}`,
            sourceIntegrationId,
            targetIntegrationId,
            documentNumberPrefix,
            fallbackCustomerName: request.body.fallbackCustomerName ?? null,
            ledgerOptions,
          })
          .returning();
        // Its daily reconciliation audit; a Temporal hiccup here must not refuse the route (an audit request keeps it too).
        await keepAuditSchedule({ client: deps.temporal, taskQueue: deps.taskQueue }, route!.id).catch((error: unknown) =>
          request.log.warn({ err: error, routeId: route!.id }, 'could not create the daily audit schedule'),
        );
        // Its payout poll, likewise (a manual poll keeps it too); a store without payouts makes each run a no-op.
        await keepPayoutPollSchedule({ client: deps.temporal, taskQueue: deps.taskQueue }, route!.id).catch((error: unknown) =>
          request.log.warn({ err: error, routeId: route!.id }, 'could not create the payout poll schedule'),
        );
        return reply.code(201).send(view(route!, target.platform));
      },
    );

    app.put(
      '/routes/:routeId/fallback-customer',
      {
        schema: {
          summary: 'Set who orders book under when the shop withholds customer names and emails',
          tags: ['routes'],
          params: Type.Object({ routeId: Type.String() }),
          body: Type.Object({ fallbackCustomerName: FallbackCustomerName }, { additionalProperties: false }),
          response: { 200: SyncRoute, 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        const [route] = await deps.db
          .update(syncRoutes)
          .set({ fallbackCustomerName: request.body.fallbackCustomerName })
          .where(eq(syncRoutes.id, request.params.routeId))
          .returning();
        if (!route) throw notFound(`No sync route ${request.params.routeId}.`);
        return view(route, (await targetOf(route))?.platform);
      },
    );

    app.put(
      '/routes/:routeId/ledger-options',
      {
        schema: {
          summary: "Choose among the options the route's ledger offers (Xero: the document a sale becomes)",
          description:
            'Sets the options given and leaves the others; null returns an option to the deployment default. Applies to orders booked ' +
            'from now on: an order booked before keeps its document, and a re-run finds it there. Orders waiting for the option and parked payouts of the route try again. ' +
            '400 names the options and values the ledger accepts.',
          tags: ['routes'],
          params: Type.Object({ routeId: Type.String() }),
          body: Type.Object({ ledgerOptions: LedgerOptionChanges(deps) }, { additionalProperties: false }),
          response: { 200: SyncRoute, 404: ErrorResponse, ...operatorErrorResponses },
        },
      },
      async (request) => {
        const [before] = await deps.db.select().from(syncRoutes).where(eq(syncRoutes.id, request.params.routeId));
        if (!before) throw notFound(`No sync route ${request.params.routeId}.`);
        const target = await targetOf(before);
        if (!target) throw notFound(`The ledger of sync route ${before.id} was deleted.`);
        const ledgerOptions = checkedOptions(target, before.ledgerOptions, request.body.ledgerOptions);
        const [route] = await deps.db.update(syncRoutes).set({ ledgerOptions }).where(eq(syncRoutes.id, before.id)).returning();
        // Orders, refunds and payouts parked for want of an account (or on one that was missing) try again with the new
        // choice; every parked payout of the route too (a bank account's currency may have been its problem).
        for (const name of Object.keys(request.body.ledgerOptions)) {
          await resumptions.enqueue({ routeId: before.id, waitingOn: `route-option:${name}`, includeRefundSyncs: true }, 'retry', 'route ledger option changed');
        }
        const resumedPayouts = await resumeParkedPayouts(deps, before.id);
        request.log.info({ routeId: before.id, from: before.ledgerOptions, to: ledgerOptions, resumedPayouts }, 'route ledger options changed');
        return view(route!, target.platform);
      },
    );

    app.patch(
      '/routes/:routeId',
      {
        schema: {
          summary: "Change a sync route's document number prefix",
          description:
            'Orders parked because their document number was taken by another shop\'s order resume by themselves, at the bounded ' +
            'resume rate. Orders booked before keep their documents: a re-run finds them under the number they were booked with. ' +
            '409 when another route books into the same ledger with the same prefix (or none).',
          tags: ['routes'],
          params: Type.Object({ routeId: Type.String() }),
          body: Type.Object({ documentNumberPrefix: DocumentNumberPrefix }, { additionalProperties: false }),
          response: {
            200: Type.Object({ route: SyncRoute, resumed: Type.Integer({ description: 'How many parked orders were queued to resume.' }) }),
            404: ErrorResponse,
            409: ErrorResponse,
            ...operatorErrorResponses,
          },
        },
      },
      async (request) => {
        const { routeId } = request.params;
        const [before] = await deps.db.select().from(syncRoutes).where(eq(syncRoutes.id, routeId));
        if (!before) throw notFound(`No sync route ${routeId}.`);
        const target = await targetOf(before);
        await refuseSharedNumbering(deps, { ...before, documentNumberPrefix: request.body.documentNumberPrefix }, target?.displayName ?? 'the ledger');
        const [route] = await deps.db
          .update(syncRoutes)
          .set({ documentNumberPrefix: request.body.documentNumberPrefix })
          .where(eq(syncRoutes.id, routeId))
          .returning();
        const changed = before.documentNumberPrefix !== route!.documentNumberPrefix;
        const resumed = changed
          ? await resumptions.enqueue({ routeId, waitingOn: documentNumberPrefixWait(before.documentNumberPrefix) }, 'retry', 'document number prefix changed')
          : 0;
        request.log.info({ routeId, from: before.documentNumberPrefix, to: route!.documentNumberPrefix, resumed }, 'document number prefix changed');
        return { route: view(route!, target?.platform), resumed };
      },
    );
  };
}

/**
 * Two routes into one ledger with the same prefix (or none) would both book "#1001" as the same number:
 * refused up front, with the fix, rather than discovered order by order.
 */
async function refuseSharedNumbering(
  deps: ApiDeps,
  route: { id: string | null; targetIntegrationId: string; documentNumberPrefix: string | null },
  ledgerName: string,
): Promise<void> {
  const sameLedger = await deps.db.select().from(syncRoutes).where(eq(syncRoutes.targetIntegrationId, route.targetIntegrationId));
  const clash = sameLedger.find((other) => other.id !== route.id && (other.documentNumberPrefix ?? '') === (route.documentNumberPrefix ?? ''));
  if (!clash) return;
  const numbering = route.documentNumberPrefix ? `the document number prefix "${route.documentNumberPrefix}"` : 'no document number prefix';
  throw conflict(
    `Sync route ${clash.id} already books into ${ledgerName} with ${numbering}, so orders of both shops with the same number ` +
      `(both have a "#1001") would clash. Give this route a prefix of its own, for example "${unusedPrefix(sameLedger.map((r) => r.documentNumberPrefix))}".`,
  );
}

/** A route reads orders from a shop and books them into a ledger; the other way round cannot sync. */
function refuseWrongRoles(deps: ApiDeps, source: typeof integrations.$inferSelect, target: typeof integrations.$inferSelect): void {
  if (!deps.platforms) return;
  const { platforms } = deps;
  if (platforms.roleOf(source.platform) !== 'commerce') {
    throw new ApiError(400, 'invalid_request', `${source.displayName} is not a shop: a sync route reads orders from a shop (sourceIntegrationId) and books them into a ledger (targetIntegrationId).`);
  }
  if (platforms.roleOf(target.platform) !== 'accounting') {
    throw new ApiError(400, 'invalid_request', `${target.displayName} is not a ledger: a sync route reads orders from a shop (sourceIntegrationId) and books them into a ledger (targetIntegrationId).`);
  }
}
