import type { AuthFaultEnvelope } from './options.js';

/** One entry of a QBO Fault: note the capitalised Message/Detail and lower-case code/element. */
export interface QboFaultEntry {
  Message: string;
  Detail: string;
  code: string;
  element?: string;
}

export function qboTime(nowMs: number): string {
  return new Date(nowMs).toISOString().replace('Z', '-00:00');
}

/** Thrown by request handlers; the route layer turns it into the HTTP answer. */
export class QboFaultResponse extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType = 'application/json',
    readonly headers: Record<string, string> = {},
  ) {
    super(`QBO fault ${status}`);
  }
}

export function validationFault(nowMs: number, ...errors: QboFaultEntry[]): QboFaultResponse {
  return new QboFaultResponse(400, {
    Fault: { Error: errors.map((e) => ({ element: '', ...e })), type: 'ValidationFault' },
    time: qboTime(nowMs),
  });
}

export function stringLengthFault(nowMs: number, field: string, max: number, supplied: number): QboFaultResponse {
  return validationFault(nowMs, {
    Message: 'String length is either shorter or longer than supported by specification',
    Detail: `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length:${supplied}`,
    code: '2050',
    element: field,
  });
}

export function objectNotFoundFault(nowMs: number, detail: string, element = ''): QboFaultResponse {
  return validationFault(nowMs, { Message: 'Object Not Found', Detail: detail, code: '610', element });
}

export function invalidReferenceFault(nowMs: number, detail: string, element = ''): QboFaultResponse {
  return validationFault(nowMs, { Message: 'Invalid Reference Id', Detail: detail, code: '2500', element });
}

export function queryParserFault(nowMs: number, detail: string): QboFaultResponse {
  return validationFault(nowMs, { Message: 'Error parsing query', Detail: detail, code: '4000' });
}

export type AuthFailure = 'expired' | 'revoked' | 'malformed' | 'wrong_realm';

/** 401 bodies: 3200 for expired/revoked/malformed tokens, 100 for a token used against another company. */
export function authenticationFault(nowMs: number, failure: AuthFailure, envelope: AuthFaultEnvelope): QboFaultResponse {
  const entry =
    failure === 'wrong_realm'
      ? {
          message: 'General Authentication Error',
          detail: 'AuthenticationErrorGeneral: SRV-110-Authentication Failure , statusCode: 401',
          code: '100',
        }
      : {
          message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
          detail: {
            expired: 'Token expired: the access token has expired',
            revoked: 'Token revoked: the grant for this token was revoked',
            malformed: 'Malformed bearer token: the token is not recognised',
          }[failure],
          code: '3200',
        };
  const time = nowMs;
  const body =
    envelope === 'fault'
      ? {
          warnings: null,
          intuitObject: null,
          fault: { error: [{ message: entry.message, detail: entry.detail, code: entry.code, element: null }], type: 'AUTHENTICATION' },
          report: null,
          queryResponse: null,
          batchItemResponse: [],
          attachableResponse: [],
          syncErrorResponse: null,
          requestId: null,
          time,
          status: null,
          cdcresponse: [],
        }
      : {
          Fault: { Error: [{ Message: entry.message, Detail: entry.detail, code: entry.code, element: '' }], type: 'AuthenticationFault' },
          time: qboTime(nowMs),
        };
  return new QboFaultResponse(401, body, 'application/json', { 'www-authenticate': 'Bearer realm="Intuit", error="invalid_token"' });
}

export function throttleFault(nowMs: number, retryAfterSeconds: number | null, format: 'json' | 'xml'): QboFaultResponse {
  const message = 'message=ThrottleExceeded; errorCode=003001; statusCode=429';
  const detail = 'The request limit was reached.';
  const headers: Record<string, string> = retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) };
  if (format === 'xml') {
    const xml =
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
      `<IntuitResponse xmlns="http://schema.intuit.com/finance/v3" time="${qboTime(nowMs)}">` +
      `<Fault type="SERVICE"><Error code="3001"><Message>${message}</Message><Detail>${detail}</Detail></Error></Fault>` +
      `</IntuitResponse>`;
    return new QboFaultResponse(429, xml, 'application/xml', headers);
  }
  return new QboFaultResponse(
    429,
    { Fault: { Error: [{ Message: message, Detail: detail, code: '3001', element: '' }], type: 'SERVICE' }, time: qboTime(nowMs) },
    'application/json',
    headers,
  );
}

export function serverFault(nowMs: number, status: number): QboFaultResponse {
  return new QboFaultResponse(status, {
    Fault: {
      Error: [{ Message: 'An application error has occurred while processing your request', Detail: `System Failure Error: emulated ${status}`, code: '10000', element: '' }],
      type: 'SystemFault',
    },
    time: qboTime(nowMs),
  });
}
