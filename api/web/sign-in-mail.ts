import { createHash } from 'node:crypto';
import type { QueuedNotice } from '../../db/outbox';
import type { SignInPurpose } from '../../db/sign-in-tokens';
import type { ConsoleLanguage } from './i18n';

/** Puts a notice in the outbox (db/outbox.ts's enqueueNotice): the worker's dispatcher sends it like any other. */
export type EnqueueNotice = (notice: QueuedNotice) => Promise<void>;

const WORDING: Record<ConsoleLanguage, Record<SignInPurpose, { subject: string; body: (name: string, url: string, minutes: number) => string }>> = {
  en: {
    'sign-in': {
      subject: 'Your sign-in link to the Vigil support desk',
      body: (name, url, minutes) => `Hello ${name},\n\nOpen this link to sign in to the support desk (valid ${minutes} minutes, once):\n\n${url}\n\nIf you did not ask for it, ignore this message.\n`,
    },
    reset: {
      subject: 'Choose a new password for the Vigil support desk',
      body: (name, url, minutes) => `Hello ${name},\n\nOpen this link to choose a new password (valid ${minutes} minutes, once):\n\n${url}\n\nIf you did not ask for it, ignore this message: your password stays as it is.\n`,
    },
  },
  fr: {
    'sign-in': {
      subject: 'Votre lien de connexion au support Vigil',
      body: (name, url, minutes) => `Bonjour ${name},\n\nOuvrez ce lien pour vous connecter au support (valable ${minutes} minutes, une seule fois) :\n\n${url}\n\nSi vous ne l'avez pas demandé, ignorez ce message.\n`,
    },
    reset: {
      subject: 'Choisissez un nouveau mot de passe pour le support Vigil',
      body: (name, url, minutes) =>
        `Bonjour ${name},\n\nOuvrez ce lien pour choisir un nouveau mot de passe (valable ${minutes} minutes, une seule fois) :\n\n${url}\n\nSi vous ne l'avez pas demandé, ignorez ce message : votre mot de passe reste le même.\n`,
    },
  },
};

export const NOTICE_KIND: Record<SignInPurpose, string> = { 'sign-in': 'console-sign-in-link', reset: 'console-password-reset' };

/** The mail carrying a one-time link; keyed by the token's hash, so a retried request queues it once. */
export function signInNotice(purpose: SignInPurpose, to: { email: string; name: string }, url: string, minutes: number, language: ConsoleLanguage, token: string): QueuedNotice {
  const wording = WORDING[language][purpose];
  return {
    idempotencyKey: `console:${purpose}:${createHash('sha256').update(token).digest('base64url')}`,
    kind: NOTICE_KIND[purpose],
    recipient: to.email,
    subject: wording.subject,
    body: wording.body(to.name, url, minutes),
  };
}
