import type { Duration } from '../calendar';
import type { PolicyIssue } from './errors';
import type { EmergencyDocument, EscalationLevel } from './schema';

/**
 * An emergency is handled at once, day or night (e-connect's terms, in the econnect preset: "traité dans l'immédiat"): its response target counts
 * every hour, not the desk's business hours, and a target beyond a day would no longer be an emergency.
 */
export const EMERGENCY_RESPONSE_UNIT = 'calendarHours';
export const EMERGENCY_RESPONSE_MAX_HOURS = 24;

/** What is wrong with an emergency response target, the policy's or a contract's; empty when it is right. */
export function emergencyTargetIssues(target: Duration, path: string): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  if (target.unit !== EMERGENCY_RESPONSE_UNIT) {
    issues.push({
      path: `${path}/unit`,
      message: `expected "${EMERGENCY_RESPONSE_UNIT}": an emergency is handled day and night, got "${target.unit}"`,
    });
  }
  if (!Number.isInteger(target.amount) || target.amount < 1 || target.amount > EMERGENCY_RESPONSE_MAX_HOURS) {
    issues.push({
      path: `${path}/amount`,
      message: `expected a whole number of hours from 1 to ${EMERGENCY_RESPONSE_MAX_HOURS}, got ${JSON.stringify(target.amount)}`,
    });
  }
  return issues;
}

/** The emergency clock's rules, the contract's target replacing the policy's where it names one. */
export interface EmergencyResponse {
  target: Duration;
  warningPercents: readonly number[];
  escalation: readonly EscalationLevel[];
  /** The escalation levels told when an emergency is registered (the policy's `atOpening`); empty: none before its first threshold. */
  atOpening: readonly string[];
}

export function emergencyResponseOf(emergency: EmergencyDocument, contractTarget?: Duration): EmergencyResponse {
  return {
    target: contractTarget ?? emergency.responseTarget,
    warningPercents: emergency.warningPercents,
    escalation: emergency.escalation,
    atOpening: emergency.atOpening ?? [],
  };
}
