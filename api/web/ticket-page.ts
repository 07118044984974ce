import { DESK_ZONE } from '../../messages/desk-zone';
import type { TicketView } from '../schemas/ticket';
import { html, type Html } from './html';
import { formatDuration, formatInstant } from './i18n';
import { alertBox, csrfField, idempotencyField, type PageContext } from './page';
import { CONSOLE_ACTIONS, offered, type ConsoleAction, type FormField } from './ticket-forms';

/** What a refused form shows: the API's problem, and its fields' messages beside them. */
export interface Refusal {
  action: string;
  message: string;
  fields: Record<string, string>;
  values: Record<string, string>;
}

const euros = (cents: number) => `${(cents / 100).toFixed(2)} €`;

function field(context: PageContext, view: TicketView, action: string, spec: FormField, refusal: Refusal | undefined): Html {
  const id = `${action}-${spec.name}`;
  const value = refusal?.action === action ? refusal.values[spec.name] : undefined;
  const error = refusal?.action === action ? refusal.fields[spec.name] : undefined;
  const described = error ? html` aria-describedby="${id}-error" aria-invalid="true"` : '';
  const message = error && html`<span class="field-error" id="${id}-error">${error}</span>`;
  const label = context.t(spec.label);
  if (spec.type === 'checkbox') return html`<div class="check"><input type="checkbox" id="${id}" name="${spec.name}"${value === 'on' ? html` checked` : ''}${described}><label for="${id}">${label}</label>${message}</div>`;
  const required = spec.required ? html` required` : '';
  const choices = spec.choices?.(view);
  if (choices) {
    return html`<label for="${id}">${label}</label><select id="${id}" name="${spec.name}"${required}${described}><option value=""></option>${choices.map(
      (choice) => html`<option value="${choice}"${value === choice ? html` selected` : ''}>${choice}</option>`,
    )}</select>${message}`;
  }
  if (spec.type === 'textarea') return html`<label for="${id}">${label}</label><textarea id="${id}" name="${spec.name}" rows="3"${required}${described}>${value ?? ''}</textarea>${message}`;
  return html`<label for="${id}">${label}</label><input id="${id}" name="${spec.name}" type="${spec.type}" value="${value ?? ''}"${required}${described}>${message}`;
}

function actionForm(context: PageContext, view: TicketView, path: string, action: ConsoleAction, refusal: Refusal | undefined): Html {
  return html`<form method="post" action="/console/tickets/${view.ticketNumber}/${path}" class="stack action" aria-label="${context.t(action.label)}">${csrfField(context)}${idempotencyField()}
${refusal?.action === path ? html`<p class="alert" role="alert"><strong>${context.t('refused')}:</strong> ${refusal.message}</p>` : ''}
${action.fields.map((spec) => field(context, view, path, spec, refusal))}
<button type="submit">${context.t(action.label)}</button>
</form>`;
}

function clocks(context: PageContext, view: TicketView): Html {
  const { t, language } = context;
  return html`<h2>${t('clocks')}</h2><div class="scroll"><table>
<thead><tr><th scope="col">${t('clocks')}</th><th scope="col">${t('status')}</th><th scope="col">${t('deadline')}</th><th scope="col">${t('timeLeft')}</th></tr></thead>
<tbody>${view.clocks.map((clock) => {
    const late = clock.breachedAt !== undefined || (clock.remainingMs !== undefined && clock.remainingMs < 0);
    const warned = clock.thresholds.some((threshold) => threshold.notified);
    return html`<tr class="${late ? 'breached' : warned ? 'at-risk' : ''}"><td>${clock.metric}</td><td>${clock.state}${late ? html` <strong class="badge">${t('breached')}</strong>` : warned ? html` <strong class="badge">${t('warning')}</strong>` : ''}</td>
<td>${clock.deadline ? html`<time datetime="${clock.deadline}">${formatInstant(clock.deadline, language, DESK_ZONE)}</time>` : '–'}</td>
<td>${clock.remainingMs === undefined || clock.state !== 'running' ? '–' : `${formatDuration(clock.remainingMs)}${clock.remainingMs < 0 ? ` ${t('late')}` : ''}`}</td></tr>`;
  })}</tbody></table></div>`;
}

function timeEntries(context: PageContext, view: TicketView): Html {
  const { t, language } = context;
  const minutes = (entry: TicketView['timeEntries'][number]) => Math.round((Date.parse(entry.end) - Date.parse(entry.start)) / 60_000);
  const total = view.timeEntries.reduce((sum, entry) => sum + minutes(entry), 0);
  return html`<h2>${t('timeEntries')}</h2>${
    view.timeEntries.length
      ? html`<div class="scroll"><table><thead><tr><th scope="col">${t('assignee')}</th><th scope="col">${t('start')}</th><th scope="col">${t('end')}</th><th scope="col">${t('minutes')}</th><th scope="col">${t('note')}</th></tr></thead>
<tbody>${view.timeEntries.map(
          (entry) => html`<tr><td>${entry.agent}</td><td>${formatInstant(entry.start, language, DESK_ZONE)}</td><td>${formatInstant(entry.end, language, DESK_ZONE)}</td><td>${minutes(entry)}</td><td>${entry.note ?? ''}</td></tr>`,
        )}</tbody><tfoot><tr><th scope="row" colspan="3">${t('total')}</th><td>${total}</td><td></td></tr></tfoot></table></div>`
      : html`<p>–</p>`
  }`;
}

function bill(context: PageContext, view: TicketView): Html {
  const { t } = context;
  if (!view.billing) return html`<h2>${t('billSoFar')}</h2><p>–</p>`;
  return html`<h2>${t('billSoFar')}</h2><div class="scroll"><table><tbody>${view.billing.lines.map(
    (line) => html`<tr><td>${line.description}</td><td>${line.minutes} min</td><td>${euros(line.amountCents)}</td></tr>`,
  )}</tbody><tfoot><tr><th scope="row" colspan="2">${t('total')}</th><td>${euros(view.billing.totalCents)}</td></tr></tfoot></table></div>`;
}

/** The ticket as its person may see it, with the forms its role may send in its status. */
export function ticketBody(context: PageContext, view: TicketView, refusal?: Refusal): Html {
  const { t, language, session } = context;
  const actions = Object.entries(CONSOLE_ACTIONS).filter(([path]) => session && offered(path, session.role, view.status));
  return html`<dl class="facts">
<dt>${t('status')}</dt><dd class="status">${view.status}</dd>
<dt>${t('priority')}</dt><dd>${view.priority}</dd>
<dt>${t('customer')}</dt><dd>${view.customerId}</dd>
<dt>${t('assignee')}</dt><dd>${view.assignee ?? '–'}</dd>
<dt>${t('opened')}</dt><dd>${formatInstant(view.openedAt, language, DESK_ZONE)}</dd>
${view.resolution ? html`<dt>${t('resolution')}</dt><dd>${view.resolution}</dd>` : ''}
</dl>
<p class="description">${view.description}</p>
${refusal && !actions.some(([path]) => path === refusal.action) ? alertBox(`${t('refused')}: ${refusal.message}`) : ''}
${actions.length ? html`<section class="actions">${actions.map(([path, action]) => actionForm(context, view, path, action, refusal))}</section>` : ''}
${clocks(context, view)}
${timeEntries(context, view)}
${bill(context, view)}
<h2>${t('history')}</h2>
<ol class="history">${view.events.map((event) => html`<li><time datetime="${event.at}">${formatInstant(event.at, language, DESK_ZONE)}</time> ${event.type}${event.by ? ` · ${event.by}` : ''}${event.note ? html`<br>${event.note}` : ''}</li>`)}</ol>`;
}
