export { SURCHARGE_TRIGGERS } from './billing-schema';
export type {
  BillingDocument,
  CoefficientDocument,
  IncrementDocument,
  SurchargeTrigger,
  TimeBandsDocument,
} from './billing-schema';
export { deadlinesFor } from './deadlines';
export type { DeadlineQuery, Deadlines } from './deadlines';
export { PolicyLookupError, PolicyPublishError, PolicyValidationError } from './errors';
export type { PolicyIssue, PolicyLookupErrorCode, PolicyPublishErrorCode } from './errors';
export { Policy } from './policy';
export type { ClockTicket } from './policy';
export { PolicyRegistry } from './registry';
export type { PolicySummary } from './registry';
export { PolicySchema } from './schema';
export type { CalendarDocument, EscalationLevel, PolicyDocument } from './schema';
export { METRICS, PRIORITIES, TICKET_KINDS, isMetric, isPriority, isTicketKind } from './vocabulary';
export type { Metric, Priority, TicketKind } from './vocabulary';
