import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { passwordFault, verifyPassword } from '../../db/password-hash';
import { UserError } from '../../db/users';
import { clearSessionCookie, cookieOf, liveSession, SESSION_COOKIE, setSessionCookie } from '../sessions';
import type { ConsoleDeps } from './deps';
import { formOf, formTokenValid, signedOutToken, type Form } from './forms';
import { html } from './html';
import { formatMinutes, inLanguage } from './i18n';
import { alertBox, csrfField, pageContext, sendPage, type PageContext } from './page';
import { AddressLimit } from './sign-in-limits';
import { LINK_MINUTES, linkRefusal, linkUrl, mailLink, TOKEN_PATH } from './sign-in-mail';

/**
 * A console path, written as the console writes its own addresses (request.url, encodeURIComponent): printable ASCII
 * but the backslash, which a browser reads as a slash. A line break, a NUL or a character beyond Latin-1 in a Location
 * header makes Node throw (a 500, after the session was made), and a browser drops tabs and line breaks from a URL,
 * so that what it goes to is not what was checked.
 */
const LOCAL_PATH = /^\/console\/(?!\/)[\x21-\x5b\x5d-\x7e]*$/;

/** Where to go after signing in: a console path only, so that a crafted `next` cannot send the person to another site. */
export const localNext = (next: string | undefined) => (next && LOCAL_PATH.test(next) ? next : '/console/');

/** Sign-in, sign-out, links by e-mail and password resets: the console's only pages reachable signed out. */
export const signInRoutes: FastifyPluginCallback<ConsoleDeps> = (app, deps, done) => {
  const { users, sessions, signInTokens, now } = deps;
  const addresses = new AddressLimit(deps.limits, now);

  const signedOut = (request: FastifyRequest, reply: FastifyReply) =>
    pageContext(request, reply, signedOutToken(request, reply, deps.cookie));

  /** A new session for the person, replacing whatever session cookie the browser held (no session fixation). */
  async function startSession(request: FastifyRequest, reply: FastifyReply, userId: string, next: string | undefined) {
    const previous = cookieOf(request, SESSION_COOKIE);
    if (previous) await sessions.destroy(previous);
    const { id } = await sessions.create(userId, now());
    setSessionCookie(request, reply, id, { ...deps.cookie, maxAgeSeconds: deps.cookie.maxAgeSeconds });
    return reply.redirect(localNext(next), 303);
  }

  function signInPage(context: PageContext, form: Form = {}, message?: string, status = 200) {
    const { t } = context;
    return sendPage(
      context,
      t('signIn'),
      html`${alertBox(message)}
<form method="post" action="/console/sign-in" class="stack">${csrfField(context)}
  <input type="hidden" name="next" value="${form.next ?? (context.request.query as { next?: string }).next ?? ''}">
  <label for="email">${t('email')}</label><input id="email" name="email" type="email" autocomplete="username" required value="${form.email ?? ''}">
  <label for="password">${t('password')}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">${t('signIn')}</button>
</form>
<p><a href="/console/link">${t('askLink')}</a> · <a href="/console/reset">${t('forgot')}</a></p>`,
      status,
    );
  }

  app.get('/sign-in', async (request, reply) => signInPage(signedOut(request, reply)));

  app.post('/sign-in', async (request, reply) => {
    const context = signedOut(request, reply);
    const form = formOf(request);
    const { t } = context;
    if (!formTokenValid(request, form)) return signInPage(context, form, t('formExpired'), 403);
    const wait = addresses.waitMinutes(request.ip);
    if (wait)
      return signInPage(context, form, t('addressLimited', { wait: formatMinutes(wait, context.language) }), 429);
    const record = form.email ? await users.signInRecord(form.email) : undefined;
    const locked = record?.lockedUntil !== undefined && record.lockedUntil > now();
    // Checked even for an unknown or locked account, so the answer takes as long whatever the address.
    const matches = await verifyPassword(form.password ?? '', record?.passwordHash);
    if (record && !record.user.disabledAt && matches && !locked) {
      await users.succeededSignIn(record.user.id);
      return startSession(request, reply, record.user.id, form.next);
    }
    addresses.hit(request.ip);
    if (locked)
      return signInPage(
        context,
        form,
        t('locked', { wait: formatMinutes(Math.ceil((record.lockedUntil! - now()) / 60_000), context.language) }),
        429,
      );
    if (record && !record.user.disabledAt) {
      const failures = await users.failedSignIn(
        record.user.id,
        deps.limits.accountFailures,
        new Date(now() + deps.limits.lockMs),
      );
      if (failures >= deps.limits.accountFailures)
        return signInPage(
          context,
          form,
          t('locked', { wait: formatMinutes(Math.ceil(deps.limits.lockMs / 60_000), context.language) }),
          429,
        );
    }
    return signInPage(context, form, t('wrongCredentials'), 401);
  });

  async function signOut(request: FastifyRequest, reply: FastifyReply, everywhere: boolean) {
    const form = formOf(request);
    const id = cookieOf(request, SESSION_COOKIE);
    await liveSession(request, sessions, now());
    // Without the session's token, a cross-site form cannot sign anyone out, not even of this browser.
    if (request.session && !formTokenValid(request, form)) {
      const context = pageContext(request, reply, request.session.csrfToken);
      return sendPage(context, context.t('signOut'), alertBox(context.t('formExpired')) || html``, 403);
    }
    if (request.session && id) {
      if (everywhere) await sessions.destroyAll(request.session.userId);
      else await sessions.destroy(id);
    }
    clearSessionCookie(request, reply, deps.cookie);
    return reply.redirect('/console/sign-in', 303);
  }
  app.post('/sign-out', async (request, reply) => signOut(request, reply, false));
  app.post('/sign-out-everywhere', async (request, reply) => signOut(request, reply, true));

  // One-time links: a sign-in link (customers' contacts) and a password reset (anyone).
  for (const purpose of ['sign-in', 'reset'] as const) {
    const path = TOKEN_PATH[purpose].slice('/console'.length);
    const title = (context: PageContext) => context.t(purpose === 'sign-in' ? 'linkTitle' : 'resetTitle');

    const requestPage = (context: PageContext, message?: string, status = 200) =>
      sendPage(
        context,
        title(context),
        html`${message ? html`<p role="status">${message}</p>` : ''}
<form method="post" action="${inLanguage(TOKEN_PATH[purpose], context.language)}" class="stack">${csrfField(context)}
  <label for="email">${context.t('email')}</label><input id="email" name="email" type="email" autocomplete="username" required>
  <button type="submit">${context.t(purpose === 'sign-in' ? 'askLink' : 'askResetLink')}</button>
</form>`,
        status,
      );

    app.get(path, async (request, reply) => requestPage(signedOut(request, reply)));

    app.post(path, async (request, reply) => {
      const context = signedOut(request, reply);
      const form = formOf(request);
      if (!formTokenValid(request, form)) return requestPage(context, context.t('formExpired'), 403);
      const wait = addresses.waitMinutes(request.ip);
      if (wait)
        return requestPage(context, context.t('addressLimited', { wait: formatMinutes(wait, context.language) }), 429);
      // Every request counts against the address: a link is a mail sent, and mails are not free to flood.
      addresses.hit(request.ip);
      const record = form.email ? await users.signInRecord(form.email) : undefined;
      const allowed = record && !linkRefusal(purpose, record.user);
      if (allowed) await mailLink(deps, purpose, record.user, context.language);
      // The same answer whether or not the address has an account: this page tells nobody who is a customer.
      return requestPage(context, context.t('linkSent', { minutes: LINK_MINUTES[purpose] }));
    });

    // The link's page asks for a click before spending the token: mail scanners that open links must not use it up.
    const tokenPage = (context: PageContext, token: string, message?: string, status = 200) =>
      sendPage(
        context,
        title(context),
        html`${alertBox(message)}
<form method="post" action="${linkUrl('', purpose, token, context.language)}" class="stack">${csrfField(context)}
  ${purpose === 'reset' && html`<label for="password">${context.t('newPassword')}</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="12">`}
  <button type="submit">${context.t(purpose === 'reset' ? 'setPassword' : 'continueSignIn')}</button>
</form>`,
        status,
      );

    app.get<{ Params: { token: string } }>(`${path}/:token`, async (request, reply) => {
      const context = signedOut(request, reply);
      const { token } = request.params;
      if (!(await signInTokens.isLive(token, purpose, now())))
        return sendPage(
          context,
          title(context),
          html`${alertBox(context.t('linkExpired'))}<p><a href="${inLanguage(TOKEN_PATH[purpose], context.language)}">${context.t('newLink')}</a></p>`,
          410,
        );
      return tokenPage(context, token);
    });

    app.post<{ Params: { token: string } }>(`${path}/:token`, async (request, reply) => {
      const context = signedOut(request, reply);
      const form = formOf(request);
      const { token } = request.params;
      if (!formTokenValid(request, form)) return tokenPage(context, token, context.t('formExpired'), 403);
      if (purpose === 'reset') {
        // Judged before the token is spent, so a too-short password costs the person nothing.
        const fault = passwordFault(form.password ?? '');
        if (fault)
          return tokenPage(
            context,
            token,
            context.t(fault === 'too-short' ? 'passwordTooShort' : 'passwordTooLong'),
            422,
          );
      }
      const userId = await signInTokens.spend(token, purpose, now());
      const user = userId && (await users.get(userId));
      if (!user || user.disabledAt)
        return sendPage(context, title(context), alertBox(context.t('linkExpired')) || html``, 410);
      if (purpose === 'reset') {
        await users.setPassword(user.id, form.password!).catch((error: unknown) => {
          throw error instanceof UserError
            ? new Error(`a password checked above was refused: ${error.message}`)
            : error;
        });
        // A new password ends every session the old one opened.
        await sessions.destroyAll(user.id);
      }
      return startSession(request, reply, user.id, undefined);
    });
  }

  done();
};
