import { headerSafe, type Email } from './acknowledgement-email';

export interface ThresholdNotice {
  ticketNumber: string;
  title: string;
  customerId: string;
  priority: string;
  assignee?: string;
  metric: string;
  percent: number;
  deadline: number;
  /** Identifies the threshold within the ticket (clock, percent, arming generation). */
  key: string;
  notify: string[];
}

/** Role names are resolved to addresses when the outbox is relayed; the desk means the assignee when there is one. */
export function thresholdRecipients(notice: ThresholdNotice): string[] {
  return [...new Set(notice.notify.map((role) => (role === 'desk' && notice.assignee ? notice.assignee : role)))];
}

export function thresholdEmail(notice: ThresholdNotice, recipient: string): Email {
  const deadline = new Date(notice.deadline).toISOString();
  const breached = notice.percent >= 100;
  const headline = breached ? `${notice.metric} SLA breached` : `${notice.metric} SLA at ${notice.percent}%`;
  return headerSafe({
    recipient,
    subject: `[${notice.ticketNumber}] ${headline} (${notice.priority}, due ${deadline})`,
    body: [
      `Ticket ${notice.ticketNumber} of customer ${notice.customerId}: ${notice.title}`,
      breached
        ? `The ${notice.metric} deadline of ${deadline} has passed without the clock being stopped.`
        : `${notice.percent}% of the ${notice.metric} target is used; the deadline is ${deadline}.`,
      `Priority ${notice.priority}; assignee: ${notice.assignee ?? 'none yet'}.`,
    ].join('\n'),
  });
}
