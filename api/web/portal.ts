import { draftIdOf } from '../../db/form-drafts';
import { PRIORITIES, TICKET_KINDS } from '../../domain/policy/vocabulary';
import { firstCharacters } from '../../domain/text';
import { DEFAULT_PRIORITY, TicketRequestFields } from '../../messages/open-ticket';
import { problemText, type ApiAnswer } from './api-bridge';
import { html, textareaText, type Html } from './html';
import { term } from './i18n';
import { alertBox, csrfField, idempotencyField, type PageContext } from './page';

interface OwnTicket {
  ticketNumber: string;
  title: string;
  status: string;
  priority: string;
  openedAt: string;
  nextDeadline: string | null;
}

/** Tickets on one page of the portal; older and newer ones are a link away. */
export const PORTAL_PAGE = 50;

/** The page the portal shows, as one /v1/tickets query: newest first, from `cursor` when the customer paged. */
export function portalQuery(cursor?: string): string {
  const query = new URLSearchParams({ order: 'newest', limit: String(PORTAL_PAGE) });
  if (cursor) query.set('cursor', cursor);
  return `/v1/tickets?${query.toString()}`;
}

const cursorOf = (answer: ApiAnswer, field: 'nextCursor' | 'previousCursor') =>
  answer.status === 200 && typeof answer.body[field] === 'string' ? answer.body[field] : undefined;

/** Links to the newer and the older tickets, each the API's cursor: keyset pages, stable while tickets are opened. */
function pageLinks(context: PageContext, answer: ApiAnswer): Html {
  const newer = cursorOf(answer, 'previousCursor');
  const older = cursorOf(answer, 'nextCursor');
  if (!newer && !older) return html``;
  const link = (cursor: string, rel: string, label: string) =>
    html`<a rel="${rel}" href="/console/?${new URLSearchParams({ cursor }).toString()}">${label}</a>`;
  return html`<nav class="pages" aria-label="${context.t('pages')}">${newer ? html`${link(newer, 'prev', context.t('newerTickets'))} ` : ''}${older ? link(older, 'next', context.t('olderTickets')) : ''}</nav>`;
}

/** A customer's own tickets, newest first: GET /v1/tickets holds a customer's session to its company. */
export function portalBody(context: PageContext, answer: ApiAnswer): Html {
  const { t, language } = context;
  const tickets = answer.status === 200 ? (answer.body.items as OwnTicket[]) : [];
  return html`<p><a class="button" href="/console/tickets/new">${t('newTicket')}</a></p>
${answer.status === 200 ? '' : alertBox(problemText(answer))}
${
  tickets.length
    ? html`<div class="scroll"><table><thead><tr><th scope="col">${t('number')}</th><th scope="col">${t('title')}</th><th scope="col">${t('status')}</th><th scope="col">${t('priority')}</th><th scope="col">${t('opened')}</th><th scope="col">${t('nextDeadline')}</th></tr></thead>
<tbody>${tickets.map(
        (
          ticket,
        ) => html`<tr><td><a href="/console/tickets/${ticket.ticketNumber}">${ticket.ticketNumber}</a></td><td>${ticket.title}</td><td>${term(language, ticket.status)}</td><td>${term(language, ticket.priority)}</td>
<td>${context.when(ticket.openedAt)}</td><td>${ticket.nextDeadline ? context.when(ticket.nextDeadline) : '–'}</td></tr>`,
      )}</tbody></table></div>`
    : html`<p>${t('noTickets')}</p>`
}
${pageLinks(context, answer)}`;
}

/** Whom the form offers as the ticket's contact: GET /v1/contacts, the person signed in first. */
export interface ContactChoice {
  name: string;
  email: string;
}

/** A contract of the company in force today, as GET /v1/contracts gives it: the form's choice of terms. */
export interface ContractChoice {
  id: string;
  policyId: string;
  tier?: string;
}

/** What the form offers to choose from: the ticket's contact, and its contract when the company has several. */
export interface OpeningChoices {
  contacts: readonly ContactChoice[];
  contracts: readonly ContractChoice[];
}

const NO_CHOICES: OpeningChoices = { contacts: [], contracts: [] };

const contractLabel = (contract: ContractChoice) =>
  `${contract.policyId}${contract.tier ? ` (${contract.tier})` : ''}, ${contract.id}`;

/** The submit button's value that only shows the form again, for a contract chosen or to be chosen anew. */
export const CONTRACT_STEPS = ['choose', 'change'] as const;
export type ContractStep = (typeof CONTRACT_STEPS)[number];

/**
 * A text typed into the form, as the form shows it again: at most what the API takes of it (messages/open-ticket.ts),
 * counted as the API counts, where a cut in UTF-16 units kept half of an emoji text the API takes and split a pair.
 */
const typed = (values: Record<string, string>, name: 'title' | 'description') =>
  firstCharacters(values[name] ?? '', TicketRequestFields[name].maxLength);

/**
 * What a step of the form keeps for the page it leads to (api/web/console.ts, a draft): what was typed, as the form
 * shows it again, and nothing else (neither the form's token nor its key).
 */
export function typedFields(values: Record<string, string>): Record<string, string> {
  const kept = {
    title: typed(values, 'title'),
    description: typed(values, 'description'),
    priority: PRIORITIES.find((priority) => priority === values.priority),
    kind: TICKET_KINDS.find((kind) => kind === values.kind),
    contact: values.contact && firstCharacters(values.contact, TicketRequestFields.contact.properties.email.maxLength),
  };
  return Object.fromEntries(Object.entries(kept).filter((field): field is [string, string] => Boolean(field[1])));
}

/** The draft the form was shown from (api/web/console.ts): its next step keeps it anew, its opening deletes it. */
const draftField = (value: string | undefined) => {
  const id = draftIdOf(value);
  return id ? html`<input type="hidden" name="_draft" value="${id}">` : '';
};

/**
 * The fields a customer fills to open a ticket. The contract is chosen only where the company has more than one in
 * force: the API opens under the only one otherwise, and refuses an opening that names none among several.
 */
export function newTicketBody(
  context: PageContext,
  values: Record<string, string> = {},
  errors: Record<string, string> = {},
  message?: string,
  { contacts, contracts }: OpeningChoices = NO_CHOICES,
): Html {
  const { t } = context;
  const error = (name: string) =>
    errors[name] && html`<span class="field-error" id="${name}-error">${errors[name]}</span>`;
  const invalid = (name: string) => (errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : '');
  // Among several contracts, one is chosen first: the contacts offered are then its. Choosing (or choosing anew) posts
  // the whole form, without script and without the browser's checks, so that what was typed before is shown again
  // (kept by api/web/console.ts for the page the step redirects to).
  const several = contracts.length > 1;
  // The priority typed before (a draft), else the one the API gives a request that names none: the form shows chosen
  // what the ticket opens with, where an empty first choice said nothing of it.
  const chosenPriority = PRIORITIES.find((priority) => priority === values.priority) ?? DEFAULT_PRIORITY;
  const chosen = several ? contracts.find((contract) => contract.id === values.contractId) : undefined;
  const step = (name: ContractStep, label: string) =>
    html`<button type="submit" name="_step" value="${name}" formnovalidate>${label}</button>`;
  return html`${alertBox(message)}
<form method="post" action="/console/tickets/new" class="stack">${csrfField(context)}${idempotencyField()}${draftField(values._draft)}
${
  several && !chosen
    ? html`<label for="contractId">${t('contract')}</label><select id="contractId" name="contractId" required${invalid('contractId')}><option value="">–</option>${contracts.map(
        (contract) => html`<option value="${contract.id}">${contractLabel(contract)}</option>`,
      )}</select>${error('contractId')}${step('choose', t('chooseContract'))}`
    : ''
}
<label for="title">${t('title')}</label><input id="title" name="title" required maxlength="${TicketRequestFields.title.maxLength}" value="${typed(values, 'title')}"${invalid('title')}>${error('title')}
<label for="description">${t('description')}</label><textarea id="description" name="description" rows="6" required${invalid('description')}>${textareaText(typed(values, 'description'))}</textarea>${error('description')}
<label for="priority">${t('priority')}</label><select id="priority" name="priority"${invalid('priority')}>${PRIORITIES.map(
    (priority) =>
      html`<option value="${priority}"${chosenPriority === priority ? html` selected` : ''}>${term(context.language, priority)}</option>`,
  )}</select>${error('priority')}
<label for="kind">${t('kind')}</label><select id="kind" name="kind"${invalid('kind')}><option value="">${t('any')}</option>${TICKET_KINDS.map(
    (kind) =>
      html`<option value="${kind}"${values.kind === kind ? html` selected` : ''}>${term(context.language, kind)}</option>`,
  )}</select>${error('kind')}
${chosen ? html`<p>${t('contract')}: ${contractLabel(chosen)}</p><input type="hidden" name="contractId" value="${chosen.id}">${error('contractId')}` : ''}
${
  contacts.length
    ? html`<label for="contact">${t('contact')}</label><select id="contact" name="contact"${invalid('contact')}>${contacts.map(
        (contact) =>
          html`<option value="${contact.email}"${(values.contact ?? contacts[0]!.email) === contact.email ? html` selected` : ''}>${contact.name} &lt;${contact.email}&gt;</option>`,
      )}</select>${error('contact')}`
    : ''
}
<button type="submit">${t('openTicket')}</button>${chosen ? html` ${step('change', t('changeContract'))}` : ''}
</form>`;
}
