/** The words the workflow, the API and the policies share. */

export const TICKET_KINDS = ['incident', 'request', 'change'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const METRICS = ['response', 'intervention', 'resolution'] as const;
export type Metric = (typeof METRICS)[number];

function isOneOf<T extends string>(values: readonly T[]) {
  return (value: unknown): value is T => typeof value === 'string' && (values as readonly string[]).includes(value);
}

export const isTicketKind = isOneOf(TICKET_KINDS);
export const isPriority = isOneOf(PRIORITIES);
export const isMetric = isOneOf(METRICS);
