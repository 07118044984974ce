import { CalendarError, ZoneRules } from '../calendar';
import type { BillingDocument } from '../policy/billing-schema';
import type { PolicyIssue } from '../policy/errors';
import { TimeBands } from './time-bands';

/**
 * A contract's own prices, replacing its policy's figures one by one (the tm-minimum preset: the price "est défini
 * par les CIV"). Integer cents and whole percentages, the same shape as the policy's: a flat `hourlyCents`, or some of the
 * roles or services the policy bills by, the travel figures the policy has, and the out-of-hours coefficient where
 * the policy has time bands. A figure the contract does not give stays the policy's. Checked and merged into the
 * rules below by contract-rates.ts (contractRatesIssues, rulesForContract); defined here so that the rules need
 * not import back the module that merges into them.
 */
export interface ContractRates {
  readonly hourlyCents?: number;
  readonly hourlyCentsByRole?: Readonly<Record<string, number>>;
  readonly hourlyCentsByService?: Readonly<Record<string, number>>;
  /** Replaces the percent of the policy's `timeBands.outside` (Mixvoip's x1.5). */
  readonly outOfHoursPercent?: number;
  readonly travel?: { readonly perTripCents?: number; readonly hourlyCents?: number };
}

/** A policy's billing document with its zone and bands compiled once, at load. */
export interface BillingRules {
  readonly policyId: string;
  readonly document: BillingDocument;
  readonly zone: ZoneRules;
  readonly bands: TimeBands | null;
  /** The contract's own figures merged into `document` (rulesForContract), so that lines priced with them say so. */
  readonly contract?: ContractRates;
}

const RATE_KINDS = ['hourlyCents', 'hourlyCentsByRole', 'hourlyCentsByService'] as const;

/** The rules the schema cannot express, as issues under `/billing`. */
function ruleIssues({ rates, timeBands, excludedServices = [] }: BillingDocument): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const kinds = RATE_KINDS.filter((kind) => rates[kind] !== undefined);
  if (kinds.length !== 1)
    issues.push({
      path: '/billing/rates',
      message: `expected exactly one of ${RATE_KINDS.join(', ')}, got ${kinds.join(', ') || 'none'}`,
    });
  if (timeBands?.publicHolidays && !timeBands.standardHours.holidays) {
    issues.push({
      path: '/billing/timeBands/publicHolidays',
      message: 'needs standardHours.holidays to know which days are public holidays',
    });
  }
  excludedServices.forEach((service, index) => {
    const path = `/billing/excludedServices/${index}`;
    if (!rates.hourlyCentsByService)
      issues.push({ path, message: 'services can only be excluded where rates go by service' });
    else if (Object.hasOwn(rates.hourlyCentsByService, service))
      issues.push({ path, message: `"${service}" cannot both have a rate and be excluded` });
  });
  return issues;
}

function compiled<T>(issues: PolicyIssue[], path: string, compile: () => T): T | null {
  try {
    return compile();
  } catch (error) {
    if (!(error instanceof CalendarError)) throw error;
    issues.push({ path: `${path}${error.path ?? ''}`, message: error.message });
    return null;
  }
}

/** Compiles `document`, or adds to `issues` and returns null. */
export function compileBilling(
  policyId: string,
  document: BillingDocument,
  issues: PolicyIssue[],
): BillingRules | null {
  const found = ruleIssues(document);
  issues.push(...found);
  const zone = compiled(issues, '/billing/zone', () => ZoneRules.of(document.zone));
  const { timeBands } = document;
  const bands =
    zone && timeBands
      ? compiled(issues, '/billing/timeBands/standardHours', () => TimeBands.compile(timeBands, document.zone))
      : null;
  if (found.length > 0 || !zone || (timeBands && !bands)) return null;
  return { policyId, document, zone, bands };
}
