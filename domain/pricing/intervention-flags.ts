// No import here: workflow code (the log-time checks) reads these names and must not bundle a schema library.

/**
 * Facts a person records with the time worked, that some terms price (the tm-minimum preset): the remote-control tool had to be
 * installed first (the request's minimum becomes 60 minutes), an out-of-hours intervention was requested (x3),
 * urgent handling (x2). The same names on `vigil price`'s entries, the API's time entries, the workflow's
 * LogTimeCommand and billing's items.
 */
export const INTERVENTION_FLAGS = ['remoteToolMissing', 'outOfHoursRequested', 'urgent'] as const;
export type InterventionFlag = (typeof INTERVENTION_FLAGS)[number];
export type InterventionFlags = Readonly<Partial<Record<InterventionFlag, boolean>>>;

/** Only the flags set to true, so that a value that is not `true` never prices anything. */
export function interventionFlagsOf(facts: Readonly<Partial<Record<InterventionFlag, unknown>>>): InterventionFlags {
  return Object.fromEntries(INTERVENTION_FLAGS.filter((flag) => facts[flag] === true).map((flag) => [flag, true]));
}
