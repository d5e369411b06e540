/** A failed Xero call, whatever xero-node handed back (a JSON string for API calls, an axios error elsewhere). */
export interface XeroFailure {
  /** 0 when no HTTP answer came (network, timeout). */
  status: number;
  body: unknown;
  headers: Record<string, string>;
  /** Transport message when there was no answer. */
  transport: string | null;
}

function lowerCaseHeaders(raw: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (raw && typeof raw === 'object') for (const [key, value] of Object.entries(raw as Record<string, unknown>)) if (value !== undefined) headers[key.toLowerCase()] = String(value);
  return headers;
}

export function readXeroFailure(raw: unknown): XeroFailure {
  let value = raw;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return { status: 0, body: null, headers: {}, transport: value as string };
    }
  }
  const record = (value ?? {}) as { response?: Record<string, unknown>; body?: unknown; message?: string; code?: string };
  const response = record.response ?? {};
  // ApiError.generateError(): response.statusCode; axios errors: response.status and response.data.
  const status = Number(response.statusCode ?? response.status ?? 0);
  const body = response.body ?? response.data ?? record.body ?? null;
  return {
    status,
    body,
    headers: lowerCaseHeaders(response.headers),
    transport: status === 0 ? [record.code, record.message, typeof body === 'string' ? body : null].filter(Boolean).join(': ') || 'no answer' : null,
  };
}

/** `Elements[].ValidationErrors[].Message` of a ValidationException, in order. */
export function validationMessages(body: unknown): string[] {
  const elements = (body as { Elements?: unknown } | null)?.Elements;
  if (!Array.isArray(elements)) return [];
  return elements.flatMap((element) => {
    const errors = (element as { ValidationErrors?: unknown }).ValidationErrors;
    return Array.isArray(errors) ? errors.map((error) => String((error as { Message?: unknown }).Message ?? '')).filter((m) => m !== '') : [];
  });
}

/** The problem+json `Detail` of a 401/403 ("TokenExpired: …", "AuthenticationUnsuccessful"). */
export function problemDetail(body: unknown): string {
  const detail = (body as { Detail?: unknown } | null)?.Detail;
  return typeof detail === 'string' ? detail : '';
}

const EXCERPT = 500;

export function describeXeroFailure(failure: XeroFailure): string {
  const messages = validationMessages(failure.body);
  const header = (name: string) => (failure.headers[name] !== undefined ? `${name}=${failure.headers[name]}` : null);
  return [
    failure.status === 0 ? `no HTTP answer (${failure.transport})` : `HTTP ${failure.status}`,
    header('x-rate-limit-problem'),
    header('retry-after'),
    header('x-daylimit-remaining'),
    header('x-minlimit-remaining'),
    messages.length > 0 ? `validation: ${messages.join(' | ')}` : failure.body === null ? null : `body: ${JSON.stringify(failure.body).slice(0, EXCERPT)}`,
  ]
    .filter((part) => part !== null)
    .join('; ');
}
