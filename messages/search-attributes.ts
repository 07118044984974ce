import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** What ops filter tickets by in the Temporal UI; registered on the server at start (see infra/temporal-dev-server.ts). */
export const TicketNumberKey = defineSearchAttributeKey('TicketNumber', SearchAttributeType.KEYWORD);
export const CustomerIdKey = defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD);
export const PriorityKey = defineSearchAttributeKey('Priority', SearchAttributeType.KEYWORD);
export const StatusKey = defineSearchAttributeKey('Status', SearchAttributeType.KEYWORD);
export const KindKey = defineSearchAttributeKey('Kind', SearchAttributeType.KEYWORD);
export const SlaBreachedKey = defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL);
export const NextDeadlineKey = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);

export const VIGIL_SEARCH_ATTRIBUTES = [
  TicketNumberKey,
  CustomerIdKey,
  PriorityKey,
  StatusKey,
  KindKey,
  SlaBreachedKey,
  NextDeadlineKey,
] as const;
