import Fastify from 'fastify';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { consoleRoutes } from '../api/console/console-plugin.js';
import { integrationRoutes } from '../api/integration-routes.js';
import type { ConsoleDeps } from '../api/console/console-deps.js';
import { FREE_SIGN_IN_ATTEMPTS, saveOperator } from '../api/console/operator-accounts.js';
import { CredentialStore } from '../db/credential-store.js';
import { integrations, operators, operatorSessions } from '../db/schema.js';
import { PlatformRegistry } from '../platforms/registry.js';
import { secretBoxFromKey } from '../runtime/secret-box.js';
import { ConnectLinkSigner } from '../security/connect-link.js';
import { OPERATOR_TOKEN, startApiTestContext, type ApiTestContext } from './api-test-app.js';
import { createTestDatabase } from './support/test-database.js';

const KEY = Buffer.alloc(32, 4);
const PASSWORD = 'a long enough password';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

function consoleDeps(db: ConsoleDeps['db'], client: ConsoleDeps['health']['client'], taskQueue: string, publicBaseUrl: string): ConsoleDeps {
  return {
    db,
    platforms: new PlatformRegistry([]),
    credentials: new CredentialStore(db, secretBoxFromKey(KEY)),
    health: { client, taskQueue },
    publicBaseUrl,
    operatorToken: OPERATOR_TOKEN,
    connectLinks: new ConnectLinkSigner(KEY),
  };
}

const cookieOf = (response: LightMyRequestResponse, name: string) => response.cookies.find((cookie) => cookie.name === name);

describe('operator console: sign-in, sessions, CSRF, links from emails', () => {
  let ctx: ApiTestContext;
  let qboId: string;
  beforeAll(async () => {
    ctx = await startApiTestContext(inject('temporalAddress'), ({ db, client, taskQueue }) => {
      const deps = consoleDeps(db, client, taskQueue, 'http://127.0.0.1:3000');
      return { operatorPlugins: [integrationRoutes(deps)], plugins: [consoleRoutes(deps)], consoleForBrowsers: true };
    });
    qboId = (await ctx.database.db.select().from(integrations).where(eq(integrations.platform, 'qbo')))[0]!.id;
    await saveOperator(ctx.database.db, 'ops@example.com', PASSWORD);
    await saveOperator(ctx.database.db, 'other@example.com', PASSWORD);
  });
  afterAll(async () => {
    await ctx?.close();
  });

  /** Opens the sign-in page as a browser does and posts the form; returns the answer and the cookies it set. */
  async function signIn(email: string, password: string, returnTo = '/console/integrations') {
    const page = await ctx.app.inject({ url: `/console/sign-in?return=${encodeURIComponent(returnTo)}` });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const preCookie = cookieOf(page, 'lb_sign_in')!.value;
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/console/sign-in',
      headers: { ...FORM, cookie: `lb_sign_in=${preCookie}` },
      payload: form({ _csrf: csrf, email, password, return: /name="return" value="([^"]*)"/.exec(page.body)![1]!.replace(/&amp;/g, '&') }),
    });
    return { response, session: cookieOf(response, 'lb_session')?.value ?? null };
  }

  it('sends a browser opening an email link to its page through sign-in; API clients still get JSON', async () => {
    const link = `/routes/${ctx.routeId}/orders/1001`;
    const opened = await ctx.app.inject({ url: link, headers: BROWSER });
    expect(opened.statusCode).toBe(303);
    expect(opened.headers.location).toBe(`/console${link}`);
    const page = await ctx.app.inject({ url: `/console${link}`, headers: BROWSER });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe(`/console/sign-in?return=${encodeURIComponent(`/console${link}`)}`);

    const { response } = await signIn('ops@example.com', PASSWORD, `/console${link}`);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/console${link}`);

    // The bearer token keeps working, whatever the Accept header; without it, a program gets the JSON 401.
    const api = await ctx.app.inject({ url: `/integrations/${qboId}`, headers: { ...BROWSER, authorization: `Bearer ${OPERATOR_TOKEN}` } });
    expect(api.statusCode).toBe(200);
    expect(api.json()).toMatchObject({ id: qboId, displayName: 'QuickBooks Online #1', statusLabel: 'Connected' });
    const program = await ctx.app.inject({ url: `/routes/${ctx.routeId}/orders`, headers: { accept: 'application/json' } });
    expect(program.statusCode).toBe(401);
    expect(program.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const withToken = await ctx.app.inject({ url: `/routes/${ctx.routeId}/orders`, headers: { ...BROWSER, authorization: `Bearer ${OPERATOR_TOKEN}` } });
    expect(withToken.statusCode).toBe(200);
    expect(withToken.json()).toEqual({ orders: [] });
  });

  it('sets an HttpOnly, SameSite=Lax session cookie, stores only its hash, and never returns elsewhere', async () => {
    const { response, session } = await signIn('ops@example.com', PASSWORD, '//evil.example/console/x');
    expect(response.headers.location).toBe('/console/integrations');
    const cookie = cookieOf(response, 'lb_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeUndefined();
    const stored = await ctx.database.db.select().from(operatorSessions);
    expect(stored.some((row) => row.idHash === session)).toBe(false);
    const [operator] = await ctx.database.db.select().from(operators).where(eq(operators.email, 'ops@example.com'));
    expect(operator!.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(operator!.passwordHash).not.toContain(PASSWORD);

    for (const elsewhere of ['https://evil.example/console/x', '/integrations', '/console/sign-in?return=/console/x']) {
      expect((await signIn('ops@example.com', PASSWORD, elsewhere)).response.headers.location).toBe('/console/integrations');
    }
  });

  it('refuses a sign-in form that did not come from our page', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/console/sign-in', headers: FORM, payload: form({ email: 'ops@example.com', password: PASSWORD }) });
    expect(response.statusCode).toBe(403);
    expect(cookieOf(response, 'lb_session')).toBeUndefined();
  });

  it('refuses every POST without the session CSRF token, and takes it with', async () => {
    const { session } = await signIn('ops@example.com', PASSWORD);
    const cookie = `lb_session=${session}`;
    const page = await ctx.app.inject({ url: `/console/integrations/${qboId}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    // A console path without a page (an API route not yet given one) answers a page that says so, not JSON.
    const missing = await ctx.app.inject({ url: `/console/routes/${ctx.routeId}/nothing-here`, headers: { cookie } });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
    expect(missing.body).toContain('The console has no page at');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const post = (fields: Record<string, string>) =>
      ctx.app.inject({ method: 'POST', url: `/console/integrations/${qboId}/recipients`, headers: { ...FORM, cookie }, payload: form(fields) });

    expect((await post({ notifyEmails: 'thief@example.com' })).statusCode).toBe(403);
    expect((await post({ notifyEmails: 'thief@example.com', _csrf: 'guessed' })).statusCode).toBe(403);
    const [unchanged] = await ctx.database.db.select().from(integrations).where(eq(integrations.id, qboId));
    expect(unchanged!.notifyEmails).not.toContain('thief@example.com');

    const saved = await post({ notifyEmails: 'books@example.com\nowner@example.com', _csrf: csrf });
    expect(saved.statusCode).toBe(303);
    const [changed] = await ctx.database.db.select().from(integrations).where(eq(integrations.id, qboId));
    expect(changed!.notifyEmails).toEqual(['books@example.com', 'owner@example.com']);

    // Signing out needs the token too; afterwards the old cookie opens nothing.
    expect((await ctx.app.inject({ method: 'POST', url: '/console/sign-out', headers: { ...FORM, cookie }, payload: '' })).statusCode).toBe(403);
    expect((await ctx.app.inject({ url: '/console/integrations', headers: { cookie } })).statusCode).toBe(200);
    const out = await ctx.app.inject({ method: 'POST', url: '/console/sign-out', headers: { ...FORM, cookie }, payload: form({ _csrf: csrf }) });
    expect(out.statusCode).toBe(303);
    expect((await ctx.app.inject({ url: '/console/integrations', headers: { cookie } })).headers.location).toMatch(/^\/console\/sign-in/);
  });

  it('throttles sign-in per account: after repeated wrong passwords even the right one waits, other accounts do not', async () => {
    for (let attempt = 1; attempt < FREE_SIGN_IN_ATTEMPTS; attempt++) {
      const { response } = await signIn('ops@example.com', `wrong ${attempt}`);
      expect(response.statusCode).toBe(401);
      expect(response.body).toContain('The email or the password is wrong.');
    }
    const last = await signIn('ops@example.com', 'wrong again');
    expect(last.response.statusCode).toBe(429);
    const right = await signIn('ops@example.com', PASSWORD);
    expect(right.response.statusCode).toBe(429);
    expect(right.response.body).toContain('Too many wrong passwords for this account');
    expect(right.session).toBeNull();
    expect((await signIn('other@example.com', PASSWORD)).response.statusCode).toBe(303);

    // An administrator setting a new password lifts the wait.
    await saveOperator(ctx.database.db, 'ops@example.com', PASSWORD, { replace: true });
    expect((await signIn('ops@example.com', PASSWORD)).response.statusCode).toBe(303);
  });
});

describe('operator console over https', () => {
  it('marks its cookies Secure when PUBLIC_BASE_URL is https', async () => {
    const database = await createTestDatabase();
    const app = Fastify();
    try {
      await app.register(consoleRoutes(consoleDeps(database.db, null as never, 'unused', 'https://ledgerbridge.example.com')));
      await saveOperator(database.db, 'ops@example.com', PASSWORD);
      const page = await app.inject({ url: '/console/sign-in' });
      expect(cookieOf(page, 'lb_sign_in')!.secure).toBe(true);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const response = await app.inject({
        method: 'POST',
        url: '/console/sign-in',
        headers: { ...FORM, cookie: `lb_sign_in=${cookieOf(page, 'lb_sign_in')!.value}` },
        payload: form({ _csrf: csrf, email: 'ops@example.com', password: PASSWORD }),
      });
      expect(cookieOf(response, 'lb_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
    } finally {
      await app.close();
      await database.close();
    }
  });
});
