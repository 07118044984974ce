import type { FastifyRequest } from 'fastify';
import type { Language } from '../../messages/accounts';
import { cookieOf } from '../sessions';

/** The console's languages: every page in each. A customer whose language is another gets English. */
export const CONSOLE_LANGUAGES = ['en', 'fr'] as const;
export type ConsoleLanguage = (typeof CONSOLE_LANGUAGES)[number];
export const LANGUAGE_COOKIE = 'vigil_lang';

const en = {
  vigil: 'Vigil support desk',
  skip: 'Skip to the content',
  signIn: 'Sign in',
  email: 'E-mail address',
  password: 'Password',
  wrongCredentials: 'This e-mail address and password do not match an active account.',
  locked: 'Too many failed sign-ins for this account: try again in {minutes} min, or ask for a sign-in link.',
  addressLimited: 'Too many failed sign-ins from this address: try again in {minutes} min.',
  forgot: 'Forgot your password?',
  askLink: 'E-mail me a sign-in link',
  linkTitle: 'Sign in by e-mail',
  linkSent: 'If an account has this address, a link valid for {minutes} minutes is on its way.',
  send: 'Send',
  resetTitle: 'Choose a new password',
  newPassword: 'New password (12 characters or more)',
  setPassword: 'Save the password and sign in',
  linkExpired: 'This link has expired or was already used: ask for a new one.',
  continueSignIn: 'Continue and sign in',
  signOut: 'Sign out',
  signOutEverywhere: 'Sign out everywhere',
  board: 'Board',
  myTickets: 'My tickets',
  newTicket: 'Open a ticket',
  title: 'Title',
  description: 'Description',
  priority: 'Priority',
  kind: 'Kind',
  contactName: 'Contact name',
  contactEmail: 'Contact e-mail',
  openTicket: 'Open the ticket',
  status: 'Status',
  customer: 'Customer',
  assignee: 'Assignee',
  breached: 'Breached',
  search: 'Search (number, title, customer)',
  filter: 'Filter',
  any: 'Any',
  yes: 'Yes',
  no: 'No',
  number: 'Number',
  nextDeadline: 'Next deadline',
  timeLeft: 'Business time left',
  late: 'late',
  warning: 'At risk',
  noTickets: 'No tickets.',
  withDeadlines: 'SLA tickets, nearest deadline first',
  firstCome: 'Best-effort tickets, first come, first served',
  history: 'History',
  clocks: 'Clocks',
  timeEntries: 'Time entries',
  billSoFar: 'Bill so far',
  takeCharge: 'Take charge',
  logTime: 'Log time',
  start: 'Start',
  end: 'End',
  note: 'Note',
  role: 'Role',
  onSite: 'On site',
  proposeResolution: 'Propose a resolution',
  validate: 'Validate the resolution',
  reject: 'Reject the resolution',
  reason: 'Reason',
  resolution: 'Proposed resolution',
  refused: 'Refused',
  notFound: 'Not found',
  opened: 'Opened',
  minutes: 'Minutes',
  total: 'Total',
  deadline: 'Deadline',
  language: 'Français',
  formExpired: 'This form has expired: it was sent again with a fresh token, please try once more.',
  unavailable: 'The desk cannot answer right now: try again in a few seconds.',
  fieldRequired: 'is required',
} as const;

export type MessageKey = keyof typeof en;

const fr: Record<MessageKey, string> = {
  vigil: 'Vigil, centre de support',
  skip: 'Aller au contenu',
  signIn: 'Se connecter',
  email: 'Adresse e-mail',
  password: 'Mot de passe',
  wrongCredentials: 'Cette adresse e-mail et ce mot de passe ne correspondent à aucun compte actif.',
  locked: 'Trop d’échecs de connexion pour ce compte : réessayez dans {minutes} min, ou demandez un lien de connexion.',
  addressLimited: 'Trop d’échecs de connexion depuis cette adresse : réessayez dans {minutes} min.',
  forgot: 'Mot de passe oublié ?',
  askLink: 'Recevoir un lien de connexion par e-mail',
  linkTitle: 'Connexion par e-mail',
  linkSent: 'Si un compte a cette adresse, un lien valable {minutes} minutes lui a été envoyé.',
  send: 'Envoyer',
  resetTitle: 'Choisir un nouveau mot de passe',
  newPassword: 'Nouveau mot de passe (12 caractères ou plus)',
  setPassword: 'Enregistrer le mot de passe et se connecter',
  linkExpired: 'Ce lien a expiré ou a déjà servi : demandez-en un nouveau.',
  continueSignIn: 'Continuer et se connecter',
  signOut: 'Se déconnecter',
  signOutEverywhere: 'Se déconnecter partout',
  board: 'Tableau',
  myTickets: 'Mes tickets',
  newTicket: 'Ouvrir un ticket',
  title: 'Titre',
  description: 'Description',
  priority: 'Priorité',
  kind: 'Type',
  contactName: 'Nom du contact',
  contactEmail: 'E-mail du contact',
  openTicket: 'Ouvrir le ticket',
  status: 'Statut',
  customer: 'Client',
  assignee: 'Assigné à',
  breached: 'En dépassement',
  search: 'Rechercher (numéro, titre, client)',
  filter: 'Filtrer',
  any: 'Tous',
  yes: 'Oui',
  no: 'Non',
  number: 'Numéro',
  nextDeadline: 'Prochaine échéance',
  timeLeft: 'Temps ouvré restant',
  late: 'de retard',
  warning: 'À risque',
  noTickets: 'Aucun ticket.',
  withDeadlines: 'Tickets sous SLA, échéance la plus proche d’abord',
  firstCome: 'Tickets sans engagement, premier arrivé, premier servi',
  history: 'Historique',
  clocks: 'Délais',
  timeEntries: 'Temps passé',
  billSoFar: 'Facture à ce jour',
  takeCharge: 'Prendre en charge',
  logTime: 'Saisir du temps',
  start: 'Début',
  end: 'Fin',
  note: 'Note',
  role: 'Rôle',
  onSite: 'Sur site',
  proposeResolution: 'Proposer une résolution',
  validate: 'Valider la résolution',
  reject: 'Refuser la résolution',
  reason: 'Motif',
  resolution: 'Résolution proposée',
  refused: 'Refusé',
  notFound: 'Introuvable',
  opened: 'Ouvert le',
  minutes: 'Minutes',
  total: 'Total',
  deadline: 'Échéance',
  language: 'English',
  formExpired: 'Ce formulaire a expiré : il a été renvoyé avec un nouveau jeton, veuillez réessayer.',
  unavailable: 'Le centre de support ne peut pas répondre pour l’instant : réessayez dans quelques secondes.',
  fieldRequired: 'est obligatoire',
};

const MESSAGES: Record<ConsoleLanguage, Record<MessageKey, string>> = { en, fr };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export function translator(language: ConsoleLanguage): Translate {
  return (key, values = {}) => MESSAGES[language][key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

const asConsoleLanguage = (value: string | undefined): ConsoleLanguage | undefined => CONSOLE_LANGUAGES.find((language) => language === value);

/** The page's language: the switch's cookie, else the person's (their own choice or their customer's), else the browser's first. */
export function languageOf(request: FastifyRequest, personal: Language | undefined): ConsoleLanguage {
  const browser = request.headers['accept-language']?.split(',')[0]?.trim().slice(0, 2).toLowerCase();
  return asConsoleLanguage(cookieOf(request, LANGUAGE_COOKIE)) ?? asConsoleLanguage(personal) ?? asConsoleLanguage(browser) ?? 'en';
}

/** Instants as the desk reads them: in its zone, in the page's language. */
export function formatInstant(iso: string, language: ConsoleLanguage, zone: string): string {
  return new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(iso));
}

/** A business duration as hours and minutes, e.g. 3 h 05 min. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
}
