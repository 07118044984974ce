import { toStorableText } from '../../domain/text';

/**
 * Mail text made into what the API's text fields take (messages/text-fields.ts): a subject or a name holds no line
 * break nor control character, a body no control character but tab and line breaks, neither a NUL nor a lone
 * surrogate; both are cut to the field's length in code points without splitting a pair. What a person wrote is
 * kept whole in `inbound_mail` anyway: these are only the ticket's fields.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are taken out.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

const cut = (text: string, max: number) => {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('')}…`;
};

export function asLine(text: string, max: number, fallback: string): string {
  const line = toStorableText(text)
    .replace(/[\t\r\n]+/g, ' ')
    .replace(CONTROLS, '')
    .replace(/\s+/g, ' ')
    .trim();
  return cut(line || fallback, max);
}

export function asText(text: string, max: number, fallback: string): string {
  const body = toStorableText(text).replace(/\r\n?/g, '\n').replace(CONTROLS, '').trim();
  return cut(body || fallback, max);
}
