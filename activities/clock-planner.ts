import { ApplicationFailure } from '@temporalio/activity';
import { deadlineOf, instantAtPercent, nextOpening, type Duration } from '../domain/calendar';
import { DomainError } from '../domain/errors';
import { METRICS, type Metric } from '../domain/policy/vocabulary';
import type { EscalationLevel, Policy } from '../domain/policy';
import { termsOf } from '../domain/policy/terms';
import { rateCardOf } from '../domain/pricing/rate-card';
import type { ClockPlan, ThresholdPlan } from '../domain/sla/clock';
import type { PlanAnswer, PlanQuestion } from '../domain/ticket/steps';
import type { PolicySource } from '../policies/catalog';
import { presetRegistry } from '../policies/registry';

export type { PolicySource };

/** The presets alone, for callers without a database (the workflow test harness, the unit tests). */
export const presetPolicies: PolicySource = presetRegistry;

// The planner's question and answer are the ticket's (domain/ticket/steps.ts): one definition for both sides.
export type PlanRequest = PlanQuestion;
export type PlanResult = PlanAnswer;

interface ThresholdRules {
  warningPercents: readonly number[];
  escalation: readonly EscalationLevel[];
}

/** The people told at each threshold: escalation levels name them; a bare warning tells the desk working the ticket. */
function thresholdsOf(
  { warningPercents, escalation }: ThresholdRules,
  at: (percent: number) => number,
): ThresholdPlan[] {
  const percents = [...new Set([...warningPercents, ...escalation.map((level) => level.atPercent), 100])].sort(
    (a, b) => a - b,
  );
  return percents.map((percent) => {
    const notify = escalation.filter((level) => level.atPercent === percent).flatMap((level) => level.notify);
    return { percent, at: at(percent), notify: notify.length > 0 ? notify : ['desk'] };
  });
}

/**
 * The target and threshold rules of one clock. An emergency's response clock runs on the emergency target (the
 * contract's, else the policy's) whatever the priority; its unit counts every hour, so night, Sunday and holiday
 * count as much as office hours, and its warnings go to the emergency's escalation levels.
 */
function clockRulesOf(
  policy: Policy,
  request: PlanRequest,
  metric: Metric,
): { target: Duration; rules: ThresholdRules } | undefined {
  const target = policy.clockTargetFor(metric, request);
  if (!target) return undefined;
  const emergency = request.channel === 'emergency' && metric === 'response' ? policy.emergencyResponse() : undefined;
  return { target, rules: emergency ?? policy.document };
}

export async function planClocks(policies: PolicySource, request: PlanRequest): Promise<PlanResult> {
  const policy = await (request.policyVersion === undefined
    ? policies.inForce(request.policyId, request.registeredAt)
    : policies.find(request.policyId, request.policyVersion));
  const calendar = policy.calendarFor(request.kind);
  const clocks = METRICS.flatMap((metric): ClockPlan[] => {
    const planned = clockRulesOf(policy, request, metric);
    const pauses = request.pauses[metric];
    if (!planned || !pauses) return [];
    const { target, rules } = planned;
    return [
      {
        metric,
        deadline: deadlineOf(calendar, request.registeredAt, target, pauses),
        thresholds: thresholdsOf(rules, (percent) =>
          instantAtPercent(calendar, request.registeredAt, target, percent, pauses),
        ),
      },
    ];
  });
  const { autoValidationAfter } = policy.document;
  const autoValidateAt =
    autoValidationAfter && request.resolutionProposedAt !== undefined
      ? deadlineOf(calendar, request.resolutionProposedAt, autoValidationAfter)
      : undefined;
  const atOpening = request.channel === 'emergency' ? (policy.emergencyResponse()?.atOpening ?? []) : [];
  return {
    policyVersion: policy.version,
    terms: termsOf(policy, {
      quoteRequiredAboveMinutes: request.quoteRequiredAboveMinutes,
      maxPeoplePerTicket: request.maxPeoplePerTicket,
    }),
    openAtRegistration: nextOpening(calendar, request.registeredAt) === request.registeredAt,
    rateCard: rateCardOf(policy),
    clocks,
    autoValidateAt,
    ...(atOpening.length > 0 ? { atOpening: [...atOpening] } : {}),
  };
}

/**
 * Calendar maths runs in an activity so that its results are recorded in the workflow history: a replay reads them
 * back instead of recomputing them with whatever policy versions and code the worker has by then. `policies` is
 * PostgreSQL's catalog in the worker (worker/create-worker.ts): a store that is away fails the attempt, which retries.
 */
export function createPlanningActivities(policies: PolicySource) {
  return {
    planClocks: (request: PlanRequest): Promise<PlanResult> => planForActivity(policies, request),
  };
}

/** planClocks inside an activity (this one, or one that writes what the plan leads to: activities/ticket-activities.ts). */
export function planForActivity(policies: PolicySource, request: PlanRequest): Promise<PlanResult> {
  return planClocks(policies, request).catch((error: unknown) => {
    // A policy that cannot be found or computed will not be found on a retry either.
    if (error instanceof DomainError) throw ApplicationFailure.nonRetryable(error.message, error.code);
    throw error;
  });
}

export type PlanningActivities = ReturnType<typeof createPlanningActivities>;
