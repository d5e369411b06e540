/** Where the console lives. A console page for an API resource sits at CONSOLE_PREFIX + the API's path. */
export const CONSOLE_PREFIX = '/console';
export const SIGN_IN_PATH = `${CONSOLE_PREFIX}/sign-in`;
export const SIGN_OUT_PATH = `${CONSOLE_PREFIX}/sign-out`;
export const HOME_PATH = `${CONSOLE_PREFIX}/integrations`;
export const ASSETS_PATH = `${CONSOLE_PREFIX}/assets`;

/** The console page a browser should see for an API path (an email link): "/integrations/x" → "/console/integrations/x". */
export function consolePathFor(apiPath: string): string {
  return `${CONSOLE_PREFIX}${apiPath.startsWith('/') ? apiPath : `/${apiPath}`}`;
}

/**
 * Where to go after signing in: only a console path on our own origin (never "//evil.example" or a full URL),
 * so a crafted sign-in link cannot send an operator elsewhere.
 */
export function safeReturnPath(candidate: unknown): string {
  if (typeof candidate !== 'string') return HOME_PATH;
  if (!candidate.startsWith(`${CONSOLE_PREFIX}/`) || candidate.startsWith('//') || /[\\\s]/.test(candidate)) return HOME_PATH;
  if (candidate.startsWith(SIGN_IN_PATH) || candidate.startsWith(SIGN_OUT_PATH)) return HOME_PATH;
  return candidate;
}

export function signInPathReturningTo(returnTo: string): string {
  return `${SIGN_IN_PATH}?return=${encodeURIComponent(returnTo)}`;
}
