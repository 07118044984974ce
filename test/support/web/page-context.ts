import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Session } from '../../../db/sessions';
import { pageContext, type PageContext } from '../../../api/web/page';
import { LANGUAGE_COOKIE, type ConsoleLanguage } from '../../../api/web/i18n';

/**
 * A page's context as api/web/page.ts pageContext makes it for a request in `language` from `session`'s browser, so
 * that unit tests render pages with the zone and formats a real request gets, not a hand-built copy of them.
 */
export function consoleContext(language: ConsoleLanguage, session?: Session): PageContext {
  const request = {
    headers: { cookie: `${LANGUAGE_COOKIE}=${language}` },
    ...(session ? { session } : {}),
  } as unknown as FastifyRequest;
  return pageContext(request, {} as FastifyReply, session?.csrfToken ?? 't'.repeat(43));
}
