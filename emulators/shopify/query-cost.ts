import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Shopify's calculated query cost, approximated: scalars and enums 0, each object 1, a connection
 * 2 + page size × the cost of one node, a mutation 10. `requested` uses the page sizes asked for;
 * `actual` counts the nodes returned (Shopify refunds the difference).
 */
const MUTATION_COST = 10;
const CONNECTION_COST = 2;

type Variables = Record<string, unknown>;

interface CostContext {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Variables;
}

export function findOperation(document: DocumentNode, operationName?: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? operations.find((op) => op.name?.value === operationName) : operations[0];
}

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  /** The executed result's data for the actual cost; omit for the requested cost. */
  data?: unknown,
): number {
  const operation = findOperation(document, operationName);
  if (!operation) return 0;
  if (operation.operation === 'mutation') return MUTATION_COST * operation.selectionSet.selections.length;
  const root = schema.getQueryType();
  if (!root) return 0;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return selectionCost({ schema, fragments, variables }, operation.selectionSet, root, data);
}

function selectionCost(ctx: CostContext, selectionSet: SelectionSetNode, parent: GraphQLCompositeType, data: unknown): number {
  let total = 0;
  for (const { field, parentType } of collectFields(ctx, selectionSet, parent)) {
    total += fieldCost(ctx, field, parentType, data === undefined ? undefined : readKey(data, field));
  }
  return total;
}

function fieldCost(ctx: CostContext, field: FieldNode, parent: GraphQLCompositeType, data: unknown): number {
  if (field.name.value.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
  const definition = parent.getFields()[field.name.value];
  if (!definition) return 0;
  const type = getNamedType(definition.type);
  if (!isCompositeType(type) || !field.selectionSet) return 0;
  if (data === null) return 0;
  if (!type.name.endsWith('Connection')) {
    // A list of objects counts as one object (Shopify does not multiply plain lists).
    const sample = Array.isArray(data) ? data[0] : data;
    return 1 + selectionCost(ctx, field.selectionSet, type, Array.isArray(data) && data.length === 0 ? undefined : sample);
  }
  const nodeSelections = connectionNodeSelections(ctx, field.selectionSet, type);
  if (data === undefined) {
    const pageSize = Number(argument(ctx, field, definition.args, 'first') ?? argument(ctx, field, definition.args, 'last') ?? 0);
    return CONNECTION_COST + pageSize * nodeSelections.reduce((sum, s) => sum + 1 + selectionCost(ctx, s.selectionSet, s.type, undefined), 0);
  }
  const nodes = connectionNodes(data);
  let total = CONNECTION_COST;
  for (const node of nodes) {
    for (const s of nodeSelections) total += 1 + selectionCost(ctx, s.selectionSet, s.type, node);
  }
  return total;
}

/** The selections applied to each node of a connection: `nodes { … }` and `edges { node { … } }`. */
function connectionNodeSelections(ctx: CostContext, selectionSet: SelectionSetNode, connection: GraphQLCompositeType) {
  const result: Array<{ selectionSet: SelectionSetNode; type: GraphQLCompositeType }> = [];
  if (!isObjectType(connection)) return result;
  const fields = connection.getFields();
  for (const { field } of collectFields(ctx, selectionSet, connection)) {
    if (field.name.value === 'nodes' && field.selectionSet) {
      result.push({ selectionSet: field.selectionSet, type: getNamedType(fields.nodes!.type) as GraphQLCompositeType });
    }
    if (field.name.value === 'edges' && field.selectionSet) {
      const edgeType = getNamedType(fields.edges!.type);
      if (!isObjectType(edgeType)) continue;
      for (const edgeField of collectFields(ctx, field.selectionSet, edgeType)) {
        if (edgeField.field.name.value === 'node' && edgeField.field.selectionSet) {
          result.push({
            selectionSet: edgeField.field.selectionSet,
            type: getNamedType(edgeType.getFields().node!.type) as GraphQLCompositeType,
          });
        }
      }
    }
  }
  return result;
}

function connectionNodes(data: unknown): unknown[] {
  if (typeof data !== 'object' || data === null) return [];
  const record = data as Record<string, unknown>;
  for (const value of Object.values(record)) {
    if (Array.isArray(value)) {
      return value.map((entry) => (entry && typeof entry === 'object' && 'node' in entry ? entry.node : entry));
    }
  }
  return [];
}

function collectFields(ctx: CostContext, selectionSet: SelectionSetNode, parent: GraphQLCompositeType) {
  const fields: Array<{ field: FieldNode; parentType: GraphQLCompositeType }> = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      fields.push({ field: selection, parentType: parent });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      fields.push(...collectFields(ctx, selection.selectionSet, fragmentType(ctx, selection.typeCondition?.name.value, parent)));
    } else {
      const fragment = ctx.fragments.get(selection.name.value);
      if (fragment) fields.push(...collectFields(ctx, fragment.selectionSet, fragmentType(ctx, fragment.typeCondition.name.value, parent)));
    }
  }
  return fields;
}

function fragmentType(ctx: CostContext, name: string | undefined, fallback: GraphQLCompositeType): GraphQLCompositeType {
  const type = name ? ctx.schema.getType(name) : undefined;
  return type && isCompositeType(type) && !isAbstractType(type) ? type : fallback;
}

function argument(
  ctx: CostContext,
  field: FieldNode,
  definitions: ReadonlyArray<{ name: string; type: Parameters<typeof valueFromAST>[1] }>,
  name: string,
): unknown {
  const node = field.arguments?.find((arg) => arg.name.value === name);
  const definition = definitions.find((arg) => arg.name === name);
  if (!node || !definition) return undefined;
  return valueFromAST(node.value, definition.type, ctx.variables);
}

function readKey(data: unknown, field: FieldNode): unknown {
  if (typeof data !== 'object' || data === null) return null;
  const key = field.alias?.value ?? field.name.value;
  return key in data ? (data as Record<string, unknown>)[key] : null;
}
