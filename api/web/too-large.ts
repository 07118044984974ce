import { errorCodes, type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { DESCRIPTION_MAX_LENGTH } from '../../messages/open-ticket';
import { problemErrorHandler } from '../problems';
import { liveSession } from '../sessions';
import type { ConsoleDeps } from './deps';
import { html } from './html';
import type { ConsoleLanguage } from './i18n';
import { alertBox, pageContext, sendPage } from './page';
import { localNext } from './sign-in';

/**
 * A console form past its route's body limit (api/web/forms.ts FORM_BODY_LIMIT) answered as a page, 413 still, in the
 * person's language, saying what the limit is and leading back to the form: the API's problem+json (api/problems.ts
 * payloadTooLarge), which the console's routes answered until then, showed a person raw JSON. Fastify refuses such a
 * body while reading it, before any hook that reads the session: the session is read here, for its language.
 * Every other error of a console route is answered as before (api/problems.ts problemErrorHandler); /v1 is untouched.
 */
export function formsTooLargeAsPages(app: FastifyInstance, { sessions, now }: Pick<ConsoleDeps, 'sessions' | 'now'>) {
  // No console form is multipart; one posted so anyway (a hand-made form, a script) is read up to the route's limit,
  // so that one too large gets this page rather than a 415 that would not say why, then refused 415 as Fastify does.
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_request, _body, done) =>
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined),
  );

  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') return problemErrorHandler(error, request, reply);
    try {
      await liveSession(request, sessions, now());
    } catch {
      // Sessions unreadable (PostgreSQL away): the page is still shown, in the browser's language.
    }
    // The session's own token: the navigation's sign-out forms post it.
    const page = pageContext(request, reply, request.session?.csrfToken ?? '');
    const { t, language } = page;
    const limit = request.routeOptions.bodyLimit ?? 0;
    const message = t('formTooLarge', {
      size: sizeInWords(limit, language),
      characters: new Intl.NumberFormat(locale(language)).format(DESCRIPTION_MAX_LENGTH),
    });
    return sendPage(
      page,
      t('formTooLargeTitle'),
      html`${alertBox(message)}<p><a class="button" href="${formPage(request)}">${t('backToForm')}</a></p>`,
      413,
    );
  });
}

const locale = (language: ConsoleLanguage) => (language === 'fr' ? 'fr-FR' : 'en-GB');

/** A byte count as a person reads one: 305 536 bytes is "305 kB", "305 ko" in French (a kilobyte of 1 000 bytes). */
export function sizeInWords(bytes: number, language: ConsoleLanguage): string {
  const kilobytes = new Intl.NumberFormat(locale(language), { maximumFractionDigits: 0 }).format(
    Math.floor(bytes / 1000),
  );
  return language === 'fr' ? `${kilobytes}\u00a0ko` : `${kilobytes}\u00a0kB`;
}

/**
 * The page the form was on, from the Referer a browser sends with it when it names a console page of this host;
 * else the console's home. The form itself is gone: the browser never got past sending it.
 */
function formPage(request: FastifyRequest): string {
  const referer = request.headers.referer;
  if (!referer) return '/console/';
  try {
    const url = new URL(referer);
    return url.hostname === request.hostname ? localNext(`${url.pathname}${url.search}`) : '/console/';
  } catch {
    return '/console/';
  }
}
