import type { FastifyReply, FastifyRequest } from 'fastify';

/** The console's cookies, read and written without a plugin: there are two of them. */
export function readCookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

export interface CookieOptions {
  /** Set when the console is served over https (PUBLIC_BASE_URL): the browser then never sends it in the clear. */
  secure: boolean;
  maxAgeSeconds?: number;
}

/** HttpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it), Path=/. */
export function setCookie(reply: FastifyReply, name: string, value: string, options: CookieOptions): void {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (options.secure) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  reply.header('set-cookie', parts.join('; ')); // Fastify appends Set-Cookie headers rather than replacing them
}

export function clearCookie(reply: FastifyReply, name: string, options: CookieOptions): void {
  setCookie(reply, name, '', { ...options, maxAgeSeconds: 0 });
}
