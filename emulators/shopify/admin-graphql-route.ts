import type { FastifyInstance, FastifyReply } from 'fastify';
import { execute, GraphQLError, parse, validate, type DocumentNode } from 'graphql';
import { dropConnection } from '../common/fault-injector.js';
import { adminFieldResolver, adminTypeResolver, type AdminRequestContext } from './admin-resolvers.js';
import { loadAdminSchema, servedVersionFor } from './admin-schema.js';
import type { ThrottleStatus } from './cost-bucket.js';
import type { ShopifyEmulatorControl } from './emulator-control.js';
import { UNAUTHORIZED_BODY } from './oauth-routes.js';
import { queryCost } from './query-cost.js';
import { resolveShop } from './shop-resolution.js';

/** Shopify checks a single query's requested cost against this before running it. */
const SINGLE_QUERY_MAX_COST = 1000;

export interface AdminGraphqlOptions {
  orderWindowDays: number | null;
}

export function registerAdminGraphqlRoute(app: FastifyInstance, control: ShopifyEmulatorControl, options: AdminGraphqlOptions): void {
  const { store, faults } = control;

  app.post('/admin/api/:version/graphql.json', async (request, reply) => {
    const { version } = request.params as { version: string };
    // Versions the package holds answer as themselves; any other falls forward to the oldest, as Shopify does.
    const servedVersion = servedVersionFor(version);
    reply.header('X-Shopify-API-Version', servedVersion);
    reply.header('X-Request-Id', crypto.randomUUID());

    const decision = await faults.before();
    if (decision === 'fail') return reply.code(faults.current.failStatus).send({ errors: 'Service Unavailable' });

    const shop = resolveShop(store, request);
    if (!shop) return reply.code(404).send({ errors: 'Not Found' });
    const token = store.liveToken(request.headers['x-shopify-access-token'] as string | undefined);
    if (!token || token.shop !== shop.shop.domain) return reply.code(401).send(UNAUTHORIZED_BODY);

    const body = (request.body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
    const bucket = control.bucket(shop.shop.domain);
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      return reply.code(400).send({ errors: { query: 'Required parameter missing or invalid' } });
    }
    const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
    const operationName = typeof body.operationName === 'string' ? body.operationName : null;

    const schema = loadAdminSchema(servedVersion);
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      return sendErrors(reply, [error as GraphQLError], 0, null, bucket.status());
    }
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0) return sendErrors(reply, validationErrors, 0, null, bucket.status());

    const requested = queryCost(schema, document, operationName, variables);
    if (requested > SINGLE_QUERY_MAX_COST) {
      return sendErrors(
        reply,
        [
          new GraphQLError(
            `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}). See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the cost of a query is calculated. To query larger amounts of data with fewer limits, bulk operations should be used instead.`,
            { extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: SINGLE_QUERY_MAX_COST } },
          ),
        ],
        requested,
        null,
        bucket.status(),
      );
    }
    if (decision === 'throttle' || !bucket.tryTake(requested)) {
      return sendErrors(reply, [throttledError()], requested, null, bucket.status());
    }

    const context: AdminRequestContext = {
      shop,
      grantedScopes: shop.shop.grantedScopes,
      orderWindowDays: options.orderWindowDays,
      webhooks: control.webhooks,
    };
    const result = await execute({
      schema,
      document,
      variableValues: variables,
      operationName,
      contextValue: context,
      fieldResolver: adminFieldResolver,
      typeResolver: adminTypeResolver,
    });
    const actual = queryCost(schema, document, operationName, variables, result.data ?? null);
    bucket.refund(requested - actual);

    if (faults.takeDrop()) return dropConnection(request, reply);
    return reply.send({
      ...(result.errors ? { errors: result.errors.map((e) => e.toJSON()) } : {}),
      data: result.data ?? null,
      extensions: { cost: cost(requested, actual, bucket.status()) },
    });
  });
}

function throttledError(): GraphQLError {
  return new GraphQLError('Throttled', {
    extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
  });
}

function cost(requested: number, actual: number | null, throttleStatus: ThrottleStatus) {
  return {
    requestedQueryCost: requested,
    actualQueryCost: actual,
    throttleStatus: {
      // Shopify prints these as floats ("2000.0"); JSON numbers carry no such distinction.
      maximumAvailable: throttleStatus.maximumAvailable,
      currentlyAvailable: throttleStatus.currentlyAvailable,
      restoreRate: throttleStatus.restoreRate,
    },
  };
}

/** Errors that stop a query before it runs: HTTP 200, no data, cost still reported. */
function sendErrors(
  reply: FastifyReply,
  errors: readonly GraphQLError[],
  requested: number,
  actual: number | null,
  throttleStatus: ThrottleStatus,
) {
  return reply.send({ errors: errors.map((e) => e.toJSON()), extensions: { cost: cost(requested, actual, throttleStatus) } });
}
