import type { FastifyInstance } from 'fastify';

/**
 * QBO answers XML unless the request asks for JSON with `Accept: application/json` ([S], quickbooks-online.md §4).
 * A client that forgets the header gets XML here too, instead of JSON it would never see in production.
 */
export function registerAcceptNegotiation(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith('/v3/') || /json/i.test(request.headers.accept ?? '')) return payload;
    if (!/json/i.test(String(reply.getHeader('content-type') ?? '')) || typeof payload !== 'string') return payload;
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      return payload;
    }
    reply.header('content-type', 'application/xml');
    return toIntuitXml(body);
  });
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function element(name: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((item) => element(name, item)).join('');
  if (typeof value === 'object') return `<${name}>${Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A JSON answer in QBO's XML envelope; `time` becomes an attribute as in QBO's IntuitResponse. */
function toIntuitXml(body: unknown): string {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const { time, ...rest } = record;
  const timeAttribute = typeof time === 'string' ? ` time="${escapeXml(time)}"` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
    `<IntuitResponse xmlns="http://schema.intuit.com/finance/v3"${timeAttribute}>` +
    Object.entries(rest).map(([k, v]) => element(k, v)).join('') +
    `</IntuitResponse>`
  );
}
