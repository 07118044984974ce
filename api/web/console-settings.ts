import type { PeopleDeps } from './console';

/**
 * The console's settings from the environment, read by api/server.ts:
 * - VIGIL_PUBLIC_URL: the server as people reach it (activities/ticket-notices.ts links the API there too), for the
 *   links in sign-in and reset mails (default http://localhost:$PORT). Never taken from a request's Host header,
 *   which whoever asks for a reset chooses.
 * - VIGIL_COOKIE_SECURE: `auto` (default: Secure when the request came over https; set Fastify's trustProxy behind a
 *   TLS proxy), `true`, or `false` for plain http on a laptop.
 */
export function consoleSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): NonNullable<PeopleDeps['settings']> {
  const secure = env.VIGIL_COOKIE_SECURE ?? 'auto';
  if (!['auto', 'true', 'false'].includes(secure))
    throw new Error(`VIGIL_COOKIE_SECURE must be auto, true or false, not "${secure}"`);
  const publicUrl = (env.VIGIL_PUBLIC_URL || `http://localhost:${env.PORT ?? 3000}`).replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+(\/.*)?$/.test(publicUrl))
    throw new Error(`VIGIL_PUBLIC_URL must be an http(s) URL, not "${publicUrl}"`);
  return { publicUrl, cookie: { secure: secure === 'auto' ? 'auto' : secure === 'true', maxAgeSeconds: 12 * 3600 } };
}
