import type { IntegrationRoutesDeps } from '../integration-routes.js';

/** What console pages use: the same services as the operator API (a page calls them, never duplicates them). */
export interface ConsoleDeps extends IntegrationRoutesDeps {
  /** Temporal UI's address, for links to a workflow (the Orders page); null when there is none to link to. */
  temporalUiUrl?: string | null;
  /**
   * Orders a second resumed after a mapping is saved or a replay, when the console is served without the API's
   * queue (inside buildApi it uses the API's, at the API's rate: console-resumptions.ts); default 5.
   */
  resumeRatePerSecond?: number;
  /** Syncs a second a full re-sync started here starts (as the API's resyncPerSecond); default DEFAULT_RESYNC_PER_SECOND. */
  resyncPerSecond?: number;
}

/** Cookies are Secure when the console is served over https. */
export function servedOverHttps(deps: Pick<ConsoleDeps, 'publicBaseUrl'>): boolean {
  return deps.publicBaseUrl.startsWith('https:');
}
