import type { TicketView } from '../schemas/ticket';
import { html, textareaText, type Html } from './html';
import { formatDuration, formatMinutes, term } from './i18n';
import { alertBox, csrfField, idempotencyField, type PageContext } from './page';
import { formsFor, likelyRank, type ConsoleAction, type FormField } from './ticket-forms';
import { historySection } from './ticket-history';
import { euros } from './invoices';
import type { LineLabel } from '../../domain/pricing/line-labels';
import { lineText } from '../../domain/invoicing/line-texts';
import { countsEveryHour } from '../../domain/calendar';

/** What a refused form shows: the API's problem, and its fields' messages beside them. */
export interface Refusal {
  action: string;
  message: string;
  fields: Record<string, string>;
  values: Record<string, string>;
}

/** A mail that opened the ticket or went onto it (GET /v1/tickets/:number/messages, api/routes/inbound.ts). */
export interface TicketMail {
  id: number;
  from?: string;
  subject: string;
  text: string;
  receivedAt: string;
}

/** An attachment of those mails (GET /v1/tickets/:number/attachments). */
export interface TicketAttachment {
  id: number;
  filename: string;
  contentType: string;
  sizeBytes: number;
  receivedAt: string;
}

/** A notice of the outbox about the ticket (GET /v1/tickets/:number/notifications, api/routes/outbox.ts). */
export interface TicketNotice {
  id: number;
  kind: string;
  state: string;
  recipient: string;
  subject: string;
  createdAt: string;
  sentAt?: string;
  failedAt?: string;
  lastError?: string;
}

/** A billed line's label at its place in the ticket's bill (GET /v1/tickets/:number/billing-lines, api/routes/ticket-bill.ts). */
export interface TicketBillingLabel {
  index: number;
  label?: LineLabel;
}

/** What the page shows beside the ticket itself; a list the API did not give (a customer's notices) is absent. */
export interface TicketExtras {
  messages?: readonly TicketMail[];
  attachments?: readonly TicketAttachment[];
  notifications?: readonly TicketNotice[];
  /** The bill's labels, for its lines in the page's language; without them the lines show as the ticket says them. */
  billingLabels?: readonly TicketBillingLabel[];
  /** The customer's name (GET /v1/customers); without it the customer shows by its id. */
  customerName?: string;
}

/**
 * A table's box that scrolls sideways on a phone: focusable and named, so that a keyboard can scroll it too
 * (WCAG 2.1.1; axe's scrollable-region-focusable).
 */
const scrollable = (name: string) => html`<div class="scroll" role="region" aria-label="${name}" tabindex="0">`;

/** A form's path as an id: `quote/accept` has a slash. */
const idOf = (path: string) => path.replace(/\//g, '-');

function field(
  context: PageContext,
  view: TicketView,
  path: string,
  spec: FormField,
  refusal: Refusal | undefined,
): Html {
  const id = `${idOf(path)}-${spec.name}`;
  const value = refusal?.action === path ? refusal.values[spec.name] : undefined;
  const error = refusal?.action === path ? refusal.fields[spec.name] : undefined;
  const describedBy = [error && `${id}-error`, spec.hint && `${id}-hint`].filter(Boolean).join(' ');
  const described = html`${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}`;
  const hint = spec.hint ? html`<span class="hint" id="${id}-hint">${context.t(spec.hint)}</span>` : '';
  const message = html`${hint}${error ? html`<span class="field-error" id="${id}-error">${error}</span>` : ''}`;
  const label = context.t(spec.label);
  if (spec.type === 'checkbox')
    return html`<div class="check"><input type="checkbox" id="${id}" name="${spec.name}"${value === 'on' ? html` checked` : ''}${described}><label for="${id}">${label}</label>${message}</div>`;
  const required = spec.required ? html` required` : '';
  const choices = spec.choices?.(view);
  if (choices) {
    // The value sent is the API's word; what shows is the page's language's.
    return html`<label for="${id}">${label}</label><select id="${id}" name="${spec.name}"${required}${described}><option value=""></option>${choices.map(
      (choice) =>
        html`<option value="${choice}"${value === choice ? html` selected` : ''}>${term(context.language, choice)}</option>`,
    )}</select>${message}`;
  }
  if (spec.type === 'textarea')
    return html`<label for="${id}">${label}</label><textarea id="${id}" name="${spec.name}" rows="3"${required}${described}>${textareaText(value ?? '')}</textarea>${message}`;
  const input =
    spec.type === 'number'
      ? html` type="number" inputmode="numeric" step="1"${spec.min === undefined ? '' : html` min="${spec.min}"`}${spec.max === undefined ? '' : html` max="${spec.max}"`}`
      : spec.type === 'euros'
        ? html` type="text" inputmode="decimal" autocomplete="off"`
        : html` type="${spec.type === 'datetime-local' ? 'datetime-local' : 'text'}"`;
  return html`<label for="${id}">${label}</label><input id="${id}" name="${spec.name}"${input} value="${value ?? ''}"${required}${described}>${message}`;
}

function actionForm(
  context: PageContext,
  view: TicketView,
  path: string,
  action: ConsoleAction,
  refusal: Refusal | undefined,
): Html {
  const fields = action.fields.filter((spec) => spec.shown?.(view) ?? true);
  return html`<form method="post" action="/console/tickets/${view.ticketNumber}/${path}" class="stack action" aria-label="${context.t(action.label)}">${csrfField(context)}${idempotencyField()}
${refusal?.action === path ? html`<p class="alert" role="alert"><strong>${context.t('refused')}:</strong> ${refusal.message}</p>` : ''}
${fields.map((spec) => field(context, view, path, spec, refusal))}
<button type="submit">${context.t(action.label)}</button>
</form>`;
}

/**
 * The forms, after what the desk reads first (the facts, the clocks, what the customer wrote): the one a refusal sent
 * back and those most likely sent next stand open, first; each other folds under its name in a `<details>`, which
 * opens without JavaScript, so that they do not push the rest down.
 */
function actionsSection(
  context: PageContext,
  view: TicketView,
  actions: readonly [string, ConsoleAction][],
  refusal: Refusal | undefined,
): Html {
  if (!actions.length) return html``;
  // Where an open form stands: the refused one first, then the likely ones in their order; a folded one has no place.
  const place = ([path, action]: [string, ConsoleAction]) => (path === refusal?.action ? -1 : likelyRank(view, action));
  const open = actions.filter((entry) => place(entry) !== undefined).sort((a, b) => place(a)! - place(b)!);
  return html`<section class="actions" aria-labelledby="actions-title"><h2 id="actions-title">${context.t('actions')}</h2>
<div class="action-forms">${open.map(([path, action]) => actionForm(context, view, path, action, refusal))}</div>
${actions
  .filter((entry) => place(entry) === undefined)
  .map(
    ([path, action]) =>
      html`<details class="action-more"><summary>${context.t(action.label)}</summary>${actionForm(context, view, path, action, refusal)}</details>`,
  )}</section>`;
}

/**
 * The clocks with their time left (business time, or every hour for an emergency's response), as the ticket was read;
 * htmx swaps in a fresh copy every 30 s, as the board does (GET /console/tickets/:number/clocks answers only this part,
 * from one /v1 call).
 */
export function clocksSection(context: PageContext, view: TicketView): Html {
  const { t, language } = context;
  // "Business time" only where every clock counts it: an emergency's response clock runs day and night, and the
  // column then says how each figure is counted.
  const everyHour = (clock: TicketView['clocks'][number]) => clock.unit !== undefined && countsEveryHour(clock.unit);
  const mixed = view.clocks.some(everyHour);
  const counted = (clock: TicketView['clocks'][number]) =>
    mixed ? ` (${everyHour(clock) ? t('aroundTheClock') : t('businessTime')})` : '';
  return html`<div id="clocks" hx-get="/console/tickets/${view.ticketNumber}/clocks" hx-trigger="every 30s" hx-select="#clocks" hx-swap="outerHTML">
<h2>${t('clocks')}</h2>${scrollable(t('clocks'))}<table>
<thead><tr><th scope="col">${t('clocks')}</th><th scope="col">${t('status')}</th><th scope="col">${t('deadline')}</th><th scope="col">${mixed ? t('timeLeftCounted') : t('timeLeft')}</th></tr></thead>
<tbody>${view.clocks.map((clock) => {
    const late = clock.breachedAt !== undefined || (clock.remainingMs !== undefined && clock.remainingMs < 0);
    // At risk as domain/sla/clock.ts atRiskFrom says it: a running clock past a warning; one stopped (met) or paused is not.
    const warned =
      clock.state === 'running' && clock.thresholds.some((threshold) => threshold.notified && threshold.percent < 100);
    return html`<tr class="${late ? 'breached' : warned ? 'at-risk' : ''}"><td>${term(language, clock.metric)}</td><td>${term(language, clock.state)}${late ? html` <strong class="badge">${t('breached')}</strong>` : warned ? html` <strong class="badge">${t('warning')}</strong>` : ''}</td>
<td>${clock.deadline ? html`<time datetime="${clock.deadline}">${context.when(clock.deadline)}</time>` : '–'}</td>
<td>${clock.remainingMs === undefined || (clock.state !== 'running' && clock.state !== 'paused') ? '–' : `${formatDuration(clock.remainingMs, language)}${clock.remainingMs < 0 ? ` ${t('late')}` : ''}${counted(clock)}`}</td></tr>`;
  })}</tbody></table></div></div>`;
}

function timeEntries(context: PageContext, view: TicketView): Html {
  const { t, language } = context;
  const minutes = (entry: TicketView['timeEntries'][number]) =>
    Math.round((Date.parse(entry.end) - Date.parse(entry.start)) / 60_000);
  const total = view.timeEntries.reduce((sum, entry) => sum + minutes(entry), 0);
  const facts = (entry: TicketView['timeEntries'][number]) =>
    [
      entry.role ?? entry.service,
      entry.onSite && t('onSite'),
      entry.travelMinutes && t('travel', { time: formatMinutes(entry.travelMinutes, language) }),
      entry.remoteToolMissing && t('remoteToolMissing'),
      entry.outOfHoursRequested && t('outOfHoursRequested'),
      entry.urgent && t('urgent'),
      entry.note,
    ]
      .filter(Boolean)
      .join(' · ');
  return html`<h2>${t('timeEntries')}</h2>${
    view.timeEntries.length
      ? html`${scrollable(t('timeEntries'))}<table><thead><tr><th scope="col">${t('assignee')}</th><th scope="col">${t('start')}</th><th scope="col">${t('end')}</th><th scope="col">${t('duration')}</th><th scope="col">${t('note')}</th></tr></thead>
<tbody>${view.timeEntries.map(
          (entry) =>
            html`<tr><td>${entry.agent}</td><td>${context.when(entry.start)}</td><td>${context.when(entry.end)}</td><td>${formatMinutes(minutes(entry), language)}</td><td>${facts(entry)}</td></tr>`,
        )}</tbody><tfoot><tr><th scope="row" colspan="3">${t('total')}</th><td>${formatMinutes(total, language)}</td><td></td></tr></tfoot></table></div>`
      : html`<p>–</p>`
  }`;
}

/** A bill line in the page's language, from its label where the API gave one; else as the ticket says it (English). */
function lineDescription(
  language: PageContext['language'],
  line: NonNullable<TicketView['billing']>['lines'][number],
  label: LineLabel | undefined,
): string {
  return label && language !== 'en' ? lineText(label, language) : line.description;
}

function bill(context: PageContext, view: TicketView, labels: readonly TicketBillingLabel[] = []): Html {
  const { t, language } = context;
  if (!view.billing) return html`<h2>${t('billSoFar')}</h2><p>–</p>`;
  const labelAt = new Map(labels.map(({ index, label }) => [index, label]));
  return html`<h2>${t('billSoFar')}</h2>${scrollable(t('billSoFar'))}<table><tbody>${view.billing.lines.map(
    (line, index) =>
      html`<tr><td>${lineDescription(language, line, labelAt.get(index))}</td><td>${formatMinutes(line.minutes, language)}</td><td>${euros(line.amountCents, language)}</td></tr>`,
  )}</tbody><tfoot><tr><th scope="row" colspan="2">${t('total')}</th><td>${euros(view.billing.totalCents, language)}</td></tr></tfoot></table></div>`;
}

function quoteFacts(context: PageContext, view: TicketView): Html {
  const { t, language } = context;
  const quote = view.quote;
  if (!quote) return html``;
  const parts = [
    term(language, quote.status),
    quote.estimateMinutes === undefined ? undefined : formatMinutes(quote.estimateMinutes, language),
    quote.amountCents === undefined ? undefined : euros(quote.amountCents, language),
    term(language, quote.reason),
    quote.declineReason && `${t('declinedBecause')}: ${quote.declineReason}`,
  ].filter(Boolean);
  return html`<dt>${t('quote')}</dt><dd class="quote">${parts.join(' · ')}</dd>`;
}

/**
 * The exchanges with the customer, oldest first: the mails that opened the ticket or went onto it, and the
 * questions and replies recorded on it (from the console, the API or a mail).
 */
function conversation(context: PageContext, view: TicketView, mails: readonly TicketMail[] | undefined): Html {
  const { t, language } = context;
  const exchanged = view.events.filter(
    (event) => (event.type === 'waiting-for-customer' || event.type === 'customer-replied') && event.note,
  );
  const items = [
    ...(mails ?? []).map((mail) => ({
      at: mail.receivedAt,
      who: mail.from ?? '',
      title: mail.subject,
      text: mail.text,
    })),
    ...exchanged.map((event) => ({
      at: event.at,
      who: event.by ?? '',
      title: term(language, event.type),
      text: event.note ?? '',
    })),
  ].sort((one, other) => Date.parse(one.at) - Date.parse(other.at));
  return html`<h2>${t('messages')}</h2>${
    items.length
      ? html`<ol class="messages">${items.map(
          (item) =>
            html`<li><p class="meta"><time datetime="${item.at}">${context.when(item.at)}</time> · ${item.who} · <strong>${item.title}</strong></p><p class="description">${item.text}</p></li>`,
        )}</ol>`
      : html`<p>–</p>`
  }`;
}

const sizeOf = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${Math.round(bytes / 1024)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function attachments(context: PageContext, view: TicketView, files: readonly TicketAttachment[] | undefined): Html {
  const { t } = context;
  if (!files?.length) return html``;
  return html`<h2>${t('attachments')}</h2>${scrollable(t('attachments'))}<table><thead><tr><th scope="col">${t('file')}</th><th scope="col">${t('size')}</th><th scope="col">${t('received')}</th></tr></thead>
<tbody>${files.map(
    (file) =>
      html`<tr><td><a href="/console/tickets/${view.ticketNumber}/attachments/${file.id}" download>${file.filename}</a> <span class="muted">${file.contentType}</span></td><td>${sizeOf(file.sizeBytes)}</td><td>${context.when(file.receivedAt)}</td></tr>`,
  )}</tbody></table></div>`;
}

function notifications(context: PageContext, notices: readonly TicketNotice[] | undefined): Html {
  const { t, language } = context;
  if (!notices) return html``;
  return html`<h2>${t('notifications')}</h2>${
    notices.length
      ? html`${scrollable(t('notifications'))}<table><thead><tr><th scope="col">${t('when')}</th><th scope="col">${t('kindOfMail')}</th><th scope="col">${t('recipient')}</th><th scope="col">${t('subject')}</th><th scope="col">${t('mailState')}</th></tr></thead>
<tbody>${[...notices]
          .sort((one, other) => Date.parse(one.createdAt) - Date.parse(other.createdAt))
          .map(
            (
              notice,
            ) => html`<tr class="${notice.state === 'failed' ? 'breached' : ''}"><td>${context.when(notice.createdAt)}</td><td>${term(language, notice.kind)}</td><td>${notice.recipient}</td><td>${notice.subject}</td>
<td>${term(language, notice.state)}${notice.sentAt ? html` <time datetime="${notice.sentAt}">${context.when(notice.sentAt)}</time>` : ''}${notice.lastError ? html`<br>${notice.lastError}` : ''}</td></tr>`,
          )}</tbody></table></div>`
      : html`<p>–</p>`
  }`;
}

/** Who did it and through which channel, as the audit trail says: the person, key or mail sender, and web, api or email. */
/** The ticket as its person may see it, with the forms its role may send in its status. */
export function ticketBody(context: PageContext, view: TicketView, refusal?: Refusal, extras: TicketExtras = {}): Html {
  const { t, language, session } = context;
  const actions = session ? formsFor(view, session.role) : [];
  return html`<dl class="facts">
<dt>${t('status')}</dt><dd class="status">${term(language, view.status)}</dd>
<dt>${t('priority')}</dt><dd class="priority">${term(language, view.priority)}${view.channel === 'emergency' ? html` <strong class="badge">${t('emergency')}</strong>` : ''}</dd>
<dt>${t('customer')}</dt><dd class="customer">${extras.customerName ?? view.customerId}</dd>
<dt>${t('contact')}</dt><dd class="contact">${view.contact.name} · <a href="mailto:${view.contact.email}">${view.contact.email}</a></dd>
<dt>${t('assignee')}</dt><dd>${view.assignee ?? '–'}</dd>
<dt>${t('opened')}</dt><dd>${context.when(view.openedAt)}</dd>
${quoteFacts(context, view)}
${view.releaseAt ? html`<dt>${t('releaseDate')}</dt><dd class="release"><time datetime="${view.releaseAt}">${context.when(view.releaseAt)}</time></dd>` : ''}
${view.resolution ? html`<dt>${t('resolution')}</dt><dd>${view.resolution}</dd>` : ''}
</dl>
<p class="description">${view.description}</p>
${refusal && !actions.some(([path]) => path === refusal.action) ? alertBox(`${t('refused')}: ${refusal.message}`) : ''}
${clocksSection(context, view)}
${conversation(context, view, extras.messages)}
${attachments(context, view, extras.attachments)}
${actionsSection(context, view, actions, refusal)}
${timeEntries(context, view)}
${bill(context, view, extras.billingLabels)}
${notifications(context, extras.notifications)}
${historySection(context, view)}`;
}
