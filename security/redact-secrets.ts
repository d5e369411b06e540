/**
 * Removes what looks like a credential from text bound for a browser (error details, check messages): bearer
 * tokens, OAuth fields (code, access/refresh/id tokens, client secret) in query strings, JSON or headers, and
 * Shopify access tokens. The log keeps the original; the page shows "[redacted]".
 */
const REDACTED = '[redacted]';

const patterns: RegExp[] = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]{16,}=*/gi,
  /\b(shpat|shpca|shppa|shpss)_[A-Za-z0-9]{8,}/g,
  /((?<![A-Za-z_])"?(?:access_token|refresh_token|id_token|client_secret|code|x-shopify-access-token|accessToken|refreshToken)"?\s*[:=]\s*"?)([^"&\s,}]{4,})/gi,
];

export function redactSecrets(text: string): string {
  let out = text;
  out = out.replace(patterns[0]!, (_match, scheme: string) => `${scheme} ${REDACTED}`);
  out = out.replace(patterns[1]!, REDACTED);
  out = out.replace(patterns[2]!, (_match, prefix: string) => `${prefix}${REDACTED}`);
  return out;
}
