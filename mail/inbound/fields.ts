import { firstCharacters, hasSomethingToRead, textLength, toStorableText, withoutControls } from '../../domain/text';
import { Contact } from '../../messages/open-ticket';

/**
 * Mail text made into what the API's text fields take (messages/text-fields.ts): a subject or a name holds no line
 * break nor control character, a body no control character but tab and line breaks, neither a NUL nor a lone
 * surrogate nor a bidirectional control; both are cut to the field's length in code points without splitting a pair,
 * and one with nothing left to read (white space and invisible characters alone, domain/text.ts hasSomethingToRead) is
 * the fallback (a subject is a ticket's title). Taken out rather than refused: the API would refuse them, and the mail
 * would open no ticket. What a person wrote is kept whole in `inbound_mail` anyway: these are only the ticket's fields.
 */

const cut = (text: string, max: number) => (textLength(text) <= max ? text : `${firstCharacters(text, max - 1)}…`);

export function asLine(text: string, max: number, fallback: string): string {
  // NEL is a C1 control withoutControls would drop, joining the words around it: it is a line break, a space here.
  const line = withoutControls(toStorableText(text).replace(/[\t\r\n\u0085]+/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
  // Zero-width characters alone read as nothing (domain/text.ts): the API would refuse them as a title or a name.
  return cut(hasSomethingToRead(line) ? line : fallback, max);
}

export function asText(text: string, max: number, fallback: string): string {
  const body = withoutControls(toStorableText(text).replace(/\r\n?/g, '\n')).trim();
  return cut(hasSomethingToRead(body) ? body : fallback, max);
}

// The longest name the API takes for a ticket's contact.
const NAME_MAX = Contact.properties.name.maxLength;

/**
 * What to call someone a mail is about, from the name it gives (a From's display name, a contract contact's name), or
 * their address when it gives nothing to read: the API refuses a name of white space alone (messages/text-fields.ts
 * Name), and a mail whose sender typed one in their mail client is not lost nor greets nobody for it.
 */
export const nameOr = (name: string | undefined, address: string): string => asLine(name ?? '', NAME_MAX, address);
