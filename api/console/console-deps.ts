import type { IntegrationRoutesDeps } from '../integration-routes.js';

/** What console pages use: the same services as the operator API (a page calls them, never duplicates them). */
export type ConsoleDeps = IntegrationRoutesDeps;

/** Cookies are Secure when the console is served over https. */
export function servedOverHttps(deps: Pick<ConsoleDeps, 'publicBaseUrl'>): boolean {
  return deps.publicBaseUrl.startsWith('https:');
}
