import { createHash } from 'node:crypto';
import type { AccountStore } from '../../messages/accounts';
import type { QueuedNotice } from '../../db/outbox';
import type { SignInPurpose, SignInTokenStore } from '../../db/sign-in-tokens';
import type { User } from '../../db/users';
import { CONSOLE_LANGUAGES, inLanguage, type ConsoleLanguage } from './i18n';

/** Where the console is reached when VIGIL_PUBLIC_URL does not say (api/web/console-settings.ts). */
export const DEFAULT_PUBLIC_URL = 'http://localhost:3000';

/** How long each link stays usable, and the page it opens. */
export const LINK_MINUTES: Record<SignInPurpose, number> = { 'sign-in': 15, reset: 60 };
export const TOKEN_PATH: Record<SignInPurpose, string> = { 'sign-in': '/console/link', reset: '/console/reset' };

/** Puts a notice in the outbox (db/outbox.ts's enqueueNotice): the worker's dispatcher sends it like any other. */
export type EnqueueNotice = (notice: QueuedNotice) => Promise<void>;

const WORDING: Record<
  ConsoleLanguage,
  Record<SignInPurpose, { subject: string; body: (name: string, url: string, minutes: number) => string }>
> = {
  en: {
    'sign-in': {
      subject: 'Your sign-in link to the Vigil support desk',
      body: (name, url, minutes) =>
        `Hello ${name},\n\nOpen this link to sign in to the support desk (valid ${minutes} minutes, once):\n\n${url}\n\nIf you did not ask for it, ignore this message.\n`,
    },
    reset: {
      subject: 'Choose a new password for the Vigil support desk',
      body: (name, url, minutes) =>
        `Hello ${name},\n\nOpen this link to choose a new password (valid ${minutes} minutes, once):\n\n${url}\n\nIf you did not ask for it, ignore this message: your password stays as it is.\n`,
    },
  },
  fr: {
    'sign-in': {
      subject: 'Votre lien de connexion au support Vigil',
      body: (name, url, minutes) =>
        `Bonjour ${name},\n\nOuvrez ce lien pour vous connecter au support (valable ${minutes} minutes, une seule fois) :\n\n${url}\n\nSi vous ne l'avez pas demandé, ignorez ce message.\n`,
    },
    reset: {
      subject: 'Choisissez un nouveau mot de passe pour le support Vigil',
      body: (name, url, minutes) =>
        `Bonjour ${name},\n\nOuvrez ce lien pour choisir un nouveau mot de passe (valable ${minutes} minutes, une seule fois) :\n\n${url}\n\nSi vous ne l'avez pas demandé, ignorez ce message : votre mot de passe reste le même.\n`,
    },
  },
};

export const NOTICE_KIND: Record<SignInPurpose, string> = {
  'sign-in': 'console-sign-in-link',
  reset: 'console-password-reset',
};

/** The mail carrying a one-time link; keyed by the token's hash, so a retried request queues it once. */
export function signInNotice(
  purpose: SignInPurpose,
  to: { email: string; name: string },
  url: string,
  minutes: number,
  language: ConsoleLanguage,
  token: string,
): QueuedNotice {
  const wording = WORDING[language][purpose];
  return {
    idempotencyKey: `console:${purpose}:${createHash('sha256').update(token).digest('base64url')}`,
    kind: NOTICE_KIND[purpose],
    recipient: to.email,
    subject: wording.subject,
    body: wording.body(to.name, url, minutes),
  };
}

/** What mailing a link needs: the tokens, the outbox, the console's public address and the clock. */
export interface LinkMailer {
  signInTokens: SignInTokenStore;
  notices: EnqueueNotice;
  publicUrl: string;
  now: () => number;
}

/**
 * A new one-time link for the person, mailed through the outbox: asked for by the person on the sign-in pages, or
 * sent by an admin (api/routes/users.ts). The link points at the configured public address, never at a request's
 * Host, and is never shown to whoever asked for it.
 */
/** A one-time link's address, with the language its mail is worded in, which the page it opens speaks too. */
export const linkUrl = (publicUrl: string, purpose: SignInPurpose, token: string, language: ConsoleLanguage): string =>
  `${publicUrl}${inLanguage(`${TOKEN_PATH[purpose]}/${token}`, language)}`;

export async function mailLink(
  mailer: LinkMailer,
  purpose: SignInPurpose,
  user: { id: string; email: string; name: string },
  language: ConsoleLanguage,
): Promise<{ expiresAt: number }> {
  const minutes = LINK_MINUTES[purpose];
  const expiresAt = mailer.now() + minutes * 60_000;
  const token = await mailer.signInTokens.issue(user.id, purpose, expiresAt);
  await mailer.notices(
    signInNotice(purpose, user, linkUrl(mailer.publicUrl, purpose, token, language), minutes, language, token),
  );
  return { expiresAt };
}

/** Why a link an admin asked for was not sent: the problem's slug and title, and what to do instead. */
export class LinkRefused extends Error {
  constructor(
    readonly slug: 'user-disabled' | 'not-a-customer-contact',
    readonly title: string,
    message: string,
  ) {
    super(message);
  }
}

/** The person's own language if the console speaks it, else their customer's, else English. */
export async function languageOf(
  accounts: Pick<AccountStore, 'getCustomer'>,
  user: Pick<User, 'customerId' | 'language'>,
): Promise<ConsoleLanguage> {
  const customer = user.customerId === undefined ? undefined : await accounts.getCustomer(user.customerId);
  return CONSOLE_LANGUAGES.find((language) => language === (user.language ?? customer?.language)) ?? 'en';
}

/** Where a link an admin sent went, and until when it works: never the link itself. */
export interface SentLink {
  userId: string;
  sentTo: string;
  expiresAt: string;
}

/**
 * Why this person may not get the link, if they may not: a disabled person gets none (the link would not let them
 * in), nor does the desk's staff a sign-in link (they sign in with a password). The sign-in pages (api/web/sign-in.ts)
 * and the admins' sending alike.
 */
export function linkRefusal(
  purpose: SignInPurpose,
  user: Pick<User, 'id' | 'role' | 'disabledAt'>,
): LinkRefused | undefined {
  if (user.disabledAt)
    return new LinkRefused(
      'user-disabled',
      'User disabled',
      `user ${user.id} is disabled: enable them before sending a link`,
    );
  if (purpose === 'sign-in' && user.role !== 'customer')
    return new LinkRefused(
      'not-a-customer-contact',
      'Sign-in links are for customer contacts',
      `user ${user.id} is a ${user.role}: staff sign in with a password (send a password reset)`,
    );
  return undefined;
}

/**
 * A link an admin sends a person, by the admin API (api/routes/users.ts) or `vigil admin users` (cli/admin-users.ts):
 * the mail the person would get by asking on the sign-in pages, in their language; refused as linkRefusal says.
 */
export async function sendLinkTo(
  mailer: LinkMailer,
  accounts: Pick<AccountStore, 'getCustomer'>,
  purpose: SignInPurpose,
  user: User,
): Promise<SentLink> {
  const refusal = linkRefusal(purpose, user);
  if (refusal) throw refusal;
  const { expiresAt } = await mailLink(mailer, purpose, user, await languageOf(accounts, user));
  return { userId: user.id, sentTo: user.email, expiresAt: new Date(expiresAt).toISOString() };
}
