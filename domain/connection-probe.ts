/** What a cheap test call against a platform proved about a connection. */
export interface ConnectionProbe {
  /** Name of the shop or company the credentials reach, e.g. "Demo Shop" or "Craig's Design and Landscaping". */
  accountName: string;
  /** Scopes the platform says are granted; null when the platform cannot tell. */
  grantedScopes: string[] | null;
}
