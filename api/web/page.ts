import { randomUUID } from 'node:crypto';
import { IANAZone } from 'luxon';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from '../../db/sessions';
import { REQUEST_IN_PROGRESS, RETRY_AFTER_SECONDS } from '../problems';
import { adminTranslator } from './admin-i18n';
import { problemText, type ApiAnswer } from './api-bridge';
import { html, type Html } from './html';
import { ICON_PATH } from './icon';
import { DESK_ZONE } from '../../messages/desk-zone';
import { formatInstant, languageOf, translator, type ConsoleLanguage, type Translate } from './i18n';

/** What every page handler works with: who is asking, in which language, and the token its forms carry. */
export interface PageContext {
  request: FastifyRequest;
  reply: FastifyReply;
  language: ConsoleLanguage;
  t: Translate;
  session?: Session;
  /**
   * The zone every time on the page is shown in: a customer contact's company's (a Montreal customer reads its
   * deadlines in Montreal time), else the desk's, which is the one staff and the business calendars work in.
   */
  zone: string;
  /** An instant of the API (ISO-8601) as this reader reads it: their language, their zone. */
  when: (iso: string) => string;
  /** The session's synchronizer token, or the double-submit token of a signed-out form (api/web/forms.ts). */
  csrf: string;
}

/** A zone luxon knows, as customers' zones are checked on the way in (db/account-input.ts); else the desk's is used. */
const knownZone = (zone: string | undefined) => (zone && IANAZone.isValidZone(zone) ? zone : undefined);

export function pageContext(request: FastifyRequest, reply: FastifyReply, csrf: string): PageContext {
  const language = languageOf(request, request.session?.language);
  const zone = knownZone(request.session?.timeZone) ?? DESK_ZONE;
  return {
    request,
    reply,
    language,
    t: translator(language),
    zone,
    when: (iso) => formatInstant(iso, language, zone),
    session: request.session,
    csrf,
    ...(request.session ? { session: request.session } : {}),
  };
}

export const csrfField = (context: PageContext) => html`<input type="hidden" name="_csrf" value="${context.csrf}">`;

/**
 * A key drawn when the form is shown and sent as the API's Idempotency-Key: the same form posted twice (a double
 * click, a reload after a lost answer) opens one ticket or does one action, and the second post gets the first answer.
 */
export const idempotencyField = () => html`<input type="hidden" name="_key" value="${randomUUID()}">`;

/** The form's idempotency key, if it is one this console drew. */
export const idempotencyKeyOf = (form: Record<string, string>) =>
  /^[0-9a-f-]{36}$/.test(form._key ?? '') ? form._key : undefined;

function navigation(context: PageContext): Html {
  const { t, session } = context;
  if (!session) return html``;
  const home =
    session.role === 'customer'
      ? html`<a href="/console/">${t('myTickets')}</a> <a href="/console/tickets/new">${t('newTicket')}</a>`
      : html`<a href="/console/">${t('board')}</a>`;
  const more =
    session.role === 'customer'
      ? html`<a href="/console/invoices">${t('invoices')}</a> <a href="/console/prepaid-hours">${t('prepaidHours')}</a>`
      : html`<a href="/console/invoices">${t('invoices')}</a>${session.role === 'manager' || session.role === 'admin' ? html` <a href="/console/reports">${t('reports')}</a>` : ''}${
          session.role === 'admin'
            ? html` <a href="/console/admin/customers">${adminTranslator(context.language)('admin')}</a>`
            : ''
        }`;
  return html`<nav aria-label="Vigil">${home} ${more}
    <span class="who">${session.name}</span>
    <form method="post" action="/console/sign-out" class="inline">${csrfField(context)}<button type="submit">${t('signOut')}</button></form>
    <form method="post" action="/console/sign-out-everywhere" class="inline">${csrfField(context)}<button type="submit">${t('signOutEverywhere')}</button></form>
  </nav>`;
}

/** A whole page: one h1, a skip link, the language switch and, signed in, the navigation and the sign-out forms. */
export function sendPage(context: PageContext, title: string, body: Html, status = 200): FastifyReply {
  const { t, language, request } = context;
  const other = language === 'fr' ? 'en' : 'fr';
  const back = encodeURIComponent(request.url.startsWith('/console') ? request.url : '/console/');
  const page = html`<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Vigil</title>
<meta name="htmx-config" content='{"includeIndicatorStyles":false}'>
<link rel="icon" href="${ICON_PATH}" type="image/svg+xml">
<link rel="stylesheet" href="/console/static/console.css">
<script src="/console/static/htmx.min.js" defer></script>
</head>
<body>
<a class="skip" href="#main">${t('skip')}</a>
<header><span class="brand">${t('vigil')}</span> ${navigation(context)}
<a class="language" href="/console/language?to=${other}&amp;back=${back}" lang="${other}" hreflang="${other}">${t('language')}</a></header>
<main id="main">
<h1>${title}</h1>
${body}
</main>
<footer><p class="muted">${t('timesIn', { zone: context.zone })}</p></footer>
</body>
</html>`;
  return context.reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page.text);
}

/** A message next to what it is about, announced to screen readers. */
export const alertBox = (message: string | undefined) => message && html`<p class="alert" role="alert">${message}</p>`;

/**
 * The API's "later": a dependency away (503), the person over their rate limit (429), or a twin of the form still
 * being served (409 request-in-progress), whose form must keep its key rather than be shown again with a new one.
 */
export const isLater = (answer: ApiAnswer) =>
  answer.status === 503 || answer.status === 429 || answer.body.type === REQUEST_IN_PROGRESS;

/** The API's "later" passed on at once with its Retry-After, as the API does, never a broken page. */
export function laterPage(page: PageContext, answer: ApiAnswer): FastifyReply {
  const retryAfter = answer.headers['retry-after'];
  void page.reply.header('retry-after', typeof retryAfter === 'string' ? retryAfter : String(RETRY_AFTER_SECONDS));
  return sendPage(page, page.t('unavailable'), alertBox(problemText(answer)) || html``, answer.status);
}
