/**
 * The zone in which the desk's civil dates are read: the days contracts start and end on, invoice periods and
 * numbers, the months of the SLA report. Business calendars carry zones of their own, in the policies.
 */
export const DESK_ZONE = 'Europe/Luxembourg' as const;
