/** One error of a QBO Fault, whichever envelope it came in. */
export interface QboFaultError {
  code: string;
  message: string;
  detail: string;
  element: string;
}

export interface QboFault {
  type: string;
  errors: QboFaultError[];
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

function fromEntries(type: unknown, entries: unknown, capitalised: boolean): QboFault | null {
  if (!Array.isArray(entries)) return null;
  return {
    type: text(type),
    errors: entries.map((entry: Record<string, unknown>) => ({
      code: text(entry.code ?? entry.Code),
      message: text(capitalised ? (entry.Message ?? entry.message) : (entry.message ?? entry.Message)),
      detail: text(capitalised ? (entry.Detail ?? entry.detail) : (entry.detail ?? entry.Detail)),
      element: text(entry.element),
    })),
  };
}

function unescapeXml(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** XML Faults (QBO answers throttles in XML even to JSON requests): read with regexes, the shape is tiny. */
function fromXml(body: string): QboFault | null {
  const fault = /<Fault\b([^>]*)>([\s\S]*?)<\/Fault>/i.exec(body);
  if (!fault) return null;
  const type = /type="([^"]*)"/i.exec(fault[1] ?? '')?.[1] ?? '';
  const errors: QboFaultError[] = [];
  for (const match of (fault[2] ?? '').matchAll(/<Error\b([^>]*)>([\s\S]*?)<\/Error>/gi)) {
    const inner = match[2] ?? '';
    errors.push({
      code: /code="([^"]*)"/i.exec(match[1] ?? '')?.[1] ?? '',
      message: unescapeXml(/<Message>([\s\S]*?)<\/Message>/i.exec(inner)?.[1] ?? ''),
      detail: unescapeXml(/<Detail>([\s\S]*?)<\/Detail>/i.exec(inner)?.[1] ?? ''),
      element: /element="([^"]*)"/i.exec(match[1] ?? '')?.[1] ?? '',
    });
  }
  return { type, errors };
}

/** Finds a Fault in a response body: `Fault`/`Error` (documented), `fault`/`error` (seen on 401s), or XML. */
export function parseQboFault(body: string, json: unknown): QboFault | null {
  if (json !== null && typeof json === 'object') {
    const object = json as Record<string, unknown>;
    const upper = object.Fault as Record<string, unknown> | undefined;
    if (upper && typeof upper === 'object') return fromEntries(upper.type, upper.Error ?? upper.error, true);
    const lower = object.fault as Record<string, unknown> | undefined;
    if (lower && typeof lower === 'object') return fromEntries(lower.type, lower.error ?? lower.Error, false);
    return null;
  }
  return fromXml(body);
}
