export type CalendarErrorCode =
  | 'ZONE_UNKNOWN'
  | 'HOLIDAYS_UNKNOWN'
  | 'CALENDAR_INVALID'
  | 'CALENDAR_NEVER_OPENS'
  | 'INSTANT_INVALID'
  | 'INTERVAL_INVALID'
  | 'DURATION_INVALID';

import { DomainError } from '../errors';

/** A calendar rule was broken; `code` is stable, the message is for people. */
export class CalendarError extends DomainError {
  constructor(
    readonly code: CalendarErrorCode,
    message: string,
    /** JSON pointer inside the calendar definition, when the fault lies in one. */
    readonly path?: string,
  ) {
    super(message);
  }
}
