/**
 * Links into Temporal UI, filtered by our search attributes (workflows/search-attributes.ts), so an operator
 * lands on the order's runs rather than on every workflow.
 */
export function orderSyncRunsUrl(temporalUiUrl: string, namespace: string, routeId: string, orderId: string): string {
  const query = `RouteId = ${quoted(routeId)} AND OrderId = ${quoted(orderId)}`;
  return `${temporalUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows?query=${encodeURIComponent(query)}`;
}

/** A visibility-query string literal (double quotes; a quote or backslash inside is escaped). */
function quoted(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
