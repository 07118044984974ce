import type { BillingDocument } from '../policy/billing-schema';
import type { PolicyIssue } from '../policy/errors';
import type { BillingRules, ContractRates } from './billing-rules';
import { TimeBands } from './time-bands';

export type { ContractRates } from './billing-rules';

/** Said on each line priced with a contract's figure. */
export const CONTRACT_RATE = 'contract rate';

const KEYS = ['hourlyCents', 'hourlyCentsByRole', 'hourlyCentsByService', 'outOfHoursPercent', 'travel'] as const;
const TABLES = { hourlyCentsByRole: 'role', hourlyCentsByService: 'service' } as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isCents = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

/**
 * What is wrong with `rates` as an override of `document`'s figures, as issues with JSON-pointer paths under
 * `path` (like the policy's own validation): a figure the policy has no place for is refused, never ignored.
 */
export function contractRatesIssues(
  document: BillingDocument | undefined,
  rates: unknown,
  path = '/rates',
): PolicyIssue[] {
  if (!isRecord(rates)) return [{ path, message: 'expected an object of rates' }];
  if (!document) return [{ path, message: 'the policy bills nothing: there is no rate to override' }];
  const issues: PolicyIssue[] = [];
  const cents = (value: unknown, at: string) => {
    if (!isCents(value))
      issues.push({
        path: at,
        message: `expected a whole number of euro cents of at least 0, got ${JSON.stringify(value)}`,
      });
  };
  if (Object.keys(rates).length === 0) issues.push({ path, message: `expected at least one of ${KEYS.join(', ')}` });
  for (const key of Object.keys(rates)) {
    const at = `${path}/${key}`;
    const value = rates[key];
    if (key === 'hourlyCents') {
      if (document.rates.hourlyCents === undefined)
        issues.push({
          path: at,
          message: `the policy has no flat rate: it prices by ${document.rates.hourlyCentsByRole ? 'role' : 'service'}`,
        });
      else cents(value, at);
    } else if (key === 'hourlyCentsByRole' || key === 'hourlyCentsByService') {
      const table = document.rates[key];
      if (!table) {
        issues.push({ path: at, message: `the policy does not price by ${TABLES[key]}` });
      } else if (!isRecord(value) || Object.keys(value).length === 0) {
        issues.push({ path: at, message: `expected an object of at least one ${TABLES[key]} and its rate in cents` });
      } else {
        for (const [name, figure] of Object.entries(value)) {
          if (!Object.hasOwn(table, name))
            issues.push({
              path: `${at}/${name}`,
              message: `the policy bills no ${TABLES[key]} "${name}" (expected one of ${Object.keys(table).join(', ')})`,
            });
          else cents(figure, `${at}/${name}`);
        }
      }
    } else if (key === 'outOfHoursPercent') {
      if (!document.timeBands) issues.push({ path: at, message: 'the policy has no out-of-hours band to override' });
      else if (!Number.isSafeInteger(value) || (value as number) < 1)
        issues.push({
          path: at,
          message: `expected a whole percentage of at least 1 (150 for x1.5), got ${JSON.stringify(value)}`,
        });
    } else if (key === 'travel') {
      const travel = document.travel;
      if (!travel) {
        issues.push({ path: at, message: 'the policy bills no travel' });
      } else if (!isRecord(value) || Object.keys(value).length === 0) {
        issues.push({ path: at, message: 'expected an object with perTripCents and/or hourlyCents' });
      } else {
        for (const [name, figure] of Object.entries(value)) {
          if (name !== 'perTripCents' && name !== 'hourlyCents')
            issues.push({ path: `${at}/${name}`, message: 'unknown field: expected perTripCents or hourlyCents' });
          else if (travel[name] === undefined)
            issues.push({ path: `${at}/${name}`, message: `the policy's travel rule has no ${name}` });
          else cents(figure, `${at}/${name}`);
        }
      }
    } else {
      issues.push({ path: at, message: `unknown field: expected one of ${KEYS.join(', ')}` });
    }
  }
  return issues;
}

/** The policy's table with the contract's figures for the names it has, and only those. */
function mergedTable(
  table: Readonly<Record<string, number>> | undefined,
  override: Readonly<Record<string, number>> | undefined,
): Record<string, number> | undefined {
  if (!table) return undefined;
  const merged = { ...table };
  for (const [name, cents] of Object.entries(override ?? {})) if (Object.hasOwn(table, name)) merged[name] = cents;
  return merged;
}

/**
 * The billing rules a contract's tickets are priced under: the policy's, each figure the contract gives replacing
 * the policy's, and the contract's figures kept on the rules so that the lines priced with them can say so. No
 * override: the policy's rules themselves, so that prices are exactly today's. A figure the policy has no place for
 * is left out (contractRatesIssues refused it when the contract was saved).
 */
export function rulesForContract(rules: BillingRules, override: ContractRates | undefined): BillingRules {
  if (!override) return rules;
  const { document } = rules;
  const { rates, travel, timeBands } = document;
  const mergedRates = {
    ...(rates.hourlyCents !== undefined ? { hourlyCents: override.hourlyCents ?? rates.hourlyCents } : {}),
    ...(rates.hourlyCentsByRole
      ? { hourlyCentsByRole: mergedTable(rates.hourlyCentsByRole, override.hourlyCentsByRole) }
      : {}),
    ...(rates.hourlyCentsByService
      ? { hourlyCentsByService: mergedTable(rates.hourlyCentsByService, override.hourlyCentsByService) }
      : {}),
  };
  const mergedTravel = travel && {
    ...travel,
    ...(travel.perTripCents !== undefined && override.travel?.perTripCents !== undefined
      ? { perTripCents: override.travel.perTripCents }
      : {}),
    ...(travel.hourlyCents !== undefined && override.travel?.hourlyCents !== undefined
      ? { hourlyCents: override.travel.hourlyCents }
      : {}),
  };
  const outOfHours = timeBands && override.outOfHoursPercent !== undefined ? override.outOfHoursPercent : undefined;
  const mergedBands =
    // The label stays the policy's: the lines say the coefficient is the contract's (price-request.ts, contractBandOf).
    timeBands && outOfHours !== undefined
      ? { ...timeBands, outside: { label: timeBands.outside.label, percent: outOfHours } }
      : timeBands;
  const merged: BillingDocument = {
    ...document,
    rates: mergedRates,
    ...(mergedTravel ? { travel: mergedTravel } : {}),
    ...(mergedBands ? { timeBands: mergedBands } : {}),
  };
  const bands = mergedBands && mergedBands !== timeBands ? TimeBands.compile(mergedBands, document.zone) : rules.bands;
  return { ...rules, document: merged, bands, contract: override };
}

/** The band whose coefficient a contract replaced (its out-of-hours band), if any: the lines in it say so. */
export function contractBandOf({ document, contract }: BillingRules): unknown {
  return contract?.outOfHoursPercent === undefined ? undefined : document.timeBands?.outside;
}
