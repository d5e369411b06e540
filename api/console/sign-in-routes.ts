import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { html } from './html.js';
import { csrfInput, renderDocument, sendHtml } from './layout.js';
import type { ConsoleDeps } from './console-deps.js';
import { servedOverHttps } from './console-deps.js';
import { checkSignIn } from './operator-accounts.js';
import { createSession, endSession, findSession, SESSION_LIFETIME_MS } from './operator-sessions.js';
import { clearCookie, readCookie, setCookie } from './cookies.js';
import { safeReturnPath, SIGN_IN_PATH, SIGN_OUT_PATH } from './console-paths.js';
import { SESSION_COOKIE, sameToken } from './console-session-hook.js';

/** Before there is a session the sign-in form is protected by double submit: this cookie and the form field must match. */
const SIGN_IN_CSRF_COOKIE = 'lb_sign_in';

/** Sign-in and sign-out (register outside the session scope; they parse urlencoded forms themselves). */
export function signInRoutes(deps: ConsoleDeps): FastifyPluginAsync {
  const cookie = { secure: servedOverHttps(deps) };
  return async (app) => {
    const signInPage = (reply: FastifyReply, returnTo: string, error: string | null, email = '', status = 200) => {
      const token = randomBytes(24).toString('base64url');
      setCookie(reply, SIGN_IN_CSRF_COOKIE, token, cookie);
      const body = html`<form class="card narrow" method="post" action="${SIGN_IN_PATH}">
  ${csrfInput(token)}
  <input type="hidden" name="return" value="${returnTo}">
  <p><label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required autofocus value="${email}"></p>
  <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit" class="primary">Sign in</button></p>
  <p class="hint">No account yet? An administrator creates one on the server: <code>npm run operator -- add you@example.com</code>.</p>
</form>`;
      return sendHtml(reply, renderDocument({ title: 'Sign in', body, notice: error ? { kind: 'error', text: error } : null }, null), status);
    };

    app.get(SIGN_IN_PATH, async (request, reply) => {
      const returnTo = safeReturnPath((request.query as Record<string, unknown>).return);
      const token = readCookie(request, SESSION_COOKIE);
      if (token && (await findSession(deps.db, token))) return reply.redirect(returnTo, 303);
      return signInPage(reply, returnTo, null);
    });

    app.post(SIGN_IN_PATH, async (request, reply) => {
      const form = (request.body ?? {}) as Record<string, string | undefined>;
      const returnTo = safeReturnPath(form.return);
      const expected = readCookie(request, SIGN_IN_CSRF_COOKIE);
      if (!expected || typeof form._csrf !== 'string' || !sameToken(form._csrf, expected)) {
        return signInPage(reply, returnTo, 'This sign-in form is out of date (or cookies are blocked). Please sign in again.', '', 403);
      }
      const email = form.email ?? '';
      const result = await checkSignIn(deps.db, email, form.password ?? '');
      if (!result.ok) {
        if (result.reason === 'locked') {
          const at = result.until.toISOString().slice(11, 16);
          return signInPage(reply, returnTo, `Too many wrong passwords for this account. It can sign in again after ${at} UTC.`, email, 429);
        }
        return signInPage(reply, returnTo, 'The email or the password is wrong.', email, 401);
      }
      const session = await createSession(deps.db, result.operatorId);
      clearCookie(reply, SIGN_IN_CSRF_COOKIE, cookie);
      setCookie(reply, SESSION_COOKIE, session.token, { ...cookie, maxAgeSeconds: Math.floor(SESSION_LIFETIME_MS / 1000) });
      request.log.info({ operator: result.email }, 'operator signed in');
      return reply.redirect(returnTo, 303);
    });

    // Signing out needs the session's CSRF token too (else any site could sign an operator out).
    app.post(SIGN_OUT_PATH, async (request, reply) => {
      const token = readCookie(request, SESSION_COOKIE);
      const session = token ? await findSession(deps.db, token) : null;
      const form = (request.body ?? {}) as Record<string, string | undefined>;
      if (session && (typeof form._csrf !== 'string' || !sameToken(form._csrf, session.csrfToken))) {
        return reply.code(403).type('text/plain; charset=utf-8').send('This form is out of date, so you are still signed in. Reload the page and try again.');
      }
      if (token) await endSession(deps.db, token);
      clearCookie(reply, SESSION_COOKIE, cookie);
      return reply.redirect(SIGN_IN_PATH, 303);
    });
  };
}
