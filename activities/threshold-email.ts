import type { Metric } from '../domain/policy/vocabulary';
import type { Reader } from '../mail/format';
import type { ThresholdNotice as ThresholdMail } from '../mail/notices';
import { renderNotice } from '../mail/render';
import type { ThresholdNotice } from '../domain/ticket/steps';
import { headerSafe, type Email } from './acknowledgement-email';

// What the workflow hands the notifyThreshold activity when a threshold is reached: the ticket's steps compose it.
export type { ThresholdNotice } from '../domain/ticket/steps';

/** At 100% the deadline has passed: a breach, told as such; below, a warning. */
export function thresholdNoticeOf(notice: ThresholdNotice): ThresholdMail {
  const { ticketNumber, title, customerId, priority, assignee, percent, deadline } = notice;
  return {
    kind: percent >= 100 ? 'breach' : 'threshold-warning',
    ticketNumber,
    title,
    customerId,
    priority,
    assignee,
    metric: notice.metric as Metric,
    percent,
    deadline,
  };
}

const ENGLISH_IN_LUXEMBOURG: Reader = { language: 'en', zone: 'Europe/Luxembourg' };

export function thresholdEmail(
  notice: ThresholdNotice,
  recipient: string,
  reader: Reader = ENGLISH_IN_LUXEMBOURG,
): Email {
  return headerSafe({ recipient, ...renderNotice(thresholdNoticeOf(notice), reader) });
}
