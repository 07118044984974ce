/**
 * The ticket page's history: each event's time, its type and who acted in the page's language, and under it what
 * the event says. People's notes (a question, a reply) show as they wrote them; what the ticket did on its own
 * (a threshold reached, a deadline passed, a refusal at registration) carries data, not prose (domain/ticket/steps.ts),
 * and is worded here, so that a French page reads French.
 */
import type { TicketView } from '../schemas/ticket';
import { html, type Html } from './html';
import { formatMinutes, term } from './i18n';
import { euros } from './invoices';
import type { PageContext } from './page';

type TicketEvent = TicketView['events'][number];

/** What the event says beyond its type, in the page's language; undefined when nothing. */
export function eventDetail({ language, t }: PageContext, view: TicketView, event: TicketEvent): string | undefined {
  const withRemark = (said: string, remark: string | undefined) => (remark ? t('withRemark', { said, remark }) : said);
  const percent = (value: number) => new Intl.NumberFormat(language === 'fr' ? 'fr-FR' : 'en-GB').format(value);
  switch (event.type) {
    case 'sla-threshold':
      // Events recorded before thresholds carried their data kept an English note.
      if (event.metric === undefined || event.percent === undefined) return event.note;
      return t('thresholdReached', {
        metric: term(language, event.metric),
        percent: percent(event.percent),
        notified: (event.notified ?? []).map((whom) => term(language, whom)).join(', '),
      });
    case 'sla-breached':
      return event.metric === undefined ? event.note : t('deadlinePassed', { metric: term(language, event.metric) });
    case 'release-due':
      return t('releaseReached');
    case 'auto-validated':
      return t('autoValidated');
    case 'acknowledged':
      if (view.channel !== 'emergency') return event.note;
      return event.notified?.length
        ? t('emergencyAcknowledgedAndTold', { notified: event.notified.map((whom) => term(language, whom)).join(', ') })
        : t('emergencyAcknowledged');
    case 'refused':
      return view.refusal ? t('refusedOutOfHours', { contact: view.refusal.contact }) : event.note;
    // An estimate and a quote carry their figures (domain/ticket/decide.ts); those recorded before kept a note only.
    case 'estimate-recorded':
      if (event.estimateMinutes === undefined) return event.note;
      return withRemark(
        t('estimateRecorded', { minutes: formatMinutes(event.estimateMinutes, language) }),
        event.remark,
      );
    case 'quote-submitted': {
      if (event.estimateMinutes === undefined || event.quoteReason === undefined) return event.note;
      const figures = [
        formatMinutes(event.estimateMinutes, language),
        event.amountCents === undefined ? undefined : euros(event.amountCents, language),
      ].filter(Boolean);
      return withRemark(
        t('quoteSubmittedDetail', { figures: figures.join(' · '), reason: term(language, event.quoteReason) }),
        event.remark,
      );
    }
    default:
      return event.note;
  }
}

function actedBy({ language, t }: PageContext, { by, channel }: TicketEvent): Html {
  if (by === undefined) return html``;
  return html` · <span class="actor">${by}</span>${channel ? html` <span class="channel">(${t('via')} ${term(language, channel)})</span>` : ''}`;
}

export function historySection(context: PageContext, view: TicketView): Html {
  const { t, language } = context;
  return html`<h2>${t('history')}</h2>
<ol class="history">${view.events.map((event) => {
    const detail = eventDetail(context, view, event);
    return html`<li><time datetime="${event.at}">${context.when(event.at)}</time> ${term(language, event.type)}${actedBy(context, event)}${detail ? html`<br>${detail}` : ''}</li>`;
  })}</ol>`;
}
