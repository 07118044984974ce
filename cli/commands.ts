import { METRICS, PRIORITIES, TICKET_KINDS, deadlinesFor, isPriority, isTicketKind } from '../domain/policy';
import type { Policy } from '../domain/policy';
import { readFileSync } from 'node:fs';
import { PricingError, contractRatesIssues, priceRequest, withoutLabel } from '../domain/pricing';
import type { ContractRates, Price, PricingRequest } from '../domain/pricing';
import { loadPolicyFile } from '../policies/load-file';
import { findPolicy, listPolicies, policyInForce } from '../policies/registry';
import { UsageError } from './args';
import type { ParsedArgs } from './args';
import { readEntries } from './entries';
import { formatInstant, parseInstant } from './instant';

function json(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export function policiesCommand(args: ParsedArgs): string {
  const policies = listPolicies();
  if (args.flags.has('json')) return json(policies);
  return policies.map(({ id, versions }) => `${id}\tv${versions.join(', v')}\n`).join('');
}

export function required(args: ParsedArgs, name: string): string {
  const value = args.options.get(name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

export function deadlinesCommand(args: ParsedArgs): string {
  const policyId = required(args, 'policy');
  const registeredAt = parseInstant(required(args, 'opened'), '--opened');
  const priority = args.options.get('priority') ?? 'P3';
  const kind = args.options.get('kind') ?? 'incident';
  if (!isPriority(priority))
    throw new UsageError(`--priority: unknown priority "${priority}" (expected ${PRIORITIES.join(', ')})`);
  if (!isTicketKind(kind)) throw new UsageError(`--kind: unknown kind "${kind}" (expected ${TICKET_KINDS.join(', ')})`);

  const policy = policyInForce(policyId, registeredAt);
  const zone = policy.calendarFor(kind).zone.name;
  const deadlines = deadlinesFor(policy, { kind, priority, registeredAt });
  const shown = Object.fromEntries(
    METRICS.map((metric) => {
      const instant = deadlines[metric];
      return [metric, instant === null ? null : formatInstant(instant, zone)];
    }),
  );
  const answer = {
    policy: policy.id,
    version: policy.version,
    registeredAt: formatInstant(registeredAt, zone),
    deadlines: shown,
  };
  if (args.flags.has('json')) return json(answer);
  const lines = METRICS.map((metric) => `${metric.padEnd(13)}${shown[metric] ?? 'no target'}`);
  return `${policy.id} v${policy.version}, ${kind} ${priority}, registered ${answer.registeredAt}\n${lines.join('\n')}\n`;
}

export function validateCommand(args: ParsedArgs): string {
  const [file] = args.positionals;
  if (file === undefined) throw new UsageError('validate needs a policy file');
  const policy = loadPolicyFile(file);
  return `${file}: ${policy.id} v${policy.version} is valid\n`;
}

/** Euros from cents, exactly: no float ever holds the amount. */
function euros(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const magnitude = Math.abs(cents);
  return `${sign}${Math.trunc(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}

/** The version in force when the earliest work started; the latest one for a request without work. */
function policyForWork(policyId: string, { items }: PricingRequest): Policy {
  const [first, ...rest] = items;
  return first
    ? policyInForce(
        policyId,
        rest.reduce((earliest, item) => Math.min(earliest, item.start), first.start),
      )
    : findPolicy(policyId);
}

/** A JSON file: a contract's `rates`, as `vigil admin contracts add --rates` and the admin API take them. */
export function readContractRates(file: string, flag: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`--${flag}: ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The contract's rates checked against the policy, as a contract's are when it is saved. */
function contractRatesFor(policy: Policy, file: string | undefined): ContractRates | undefined {
  if (file === undefined) return undefined;
  const rates = readContractRates(file, 'contract-rates');
  const [issue] = contractRatesIssues(policy.billing?.document, rates, '');
  if (issue) throw new UsageError(`--contract-rates: ${file}: ${issue.path || '/'}: ${issue.message}`);
  return rates as ContractRates;
}

function priceOf(file: string, policyId: string, request: PricingRequest, ratesFile: string | undefined): Price {
  const policy = policyForWork(policyId, request);
  if (!policy.billing) throw new UsageError(`--policy: ${policy.id} has no billing rules`);
  const contractRates = contractRatesFor(policy, ratesFile);
  try {
    return priceRequest(policy, request, contractRates);
  } catch (error) {
    // Every remaining pricing error points into the entries file.
    if (error instanceof PricingError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
}

export function priceCommand(args: ParsedArgs): string {
  const policyId = required(args, 'policy');
  const file = required(args, 'entries');
  const { lines, totalCents, prepaid } = priceOf(file, policyId, readEntries(file), args.options.get('contract-rates'));
  if (args.flags.has('json'))
    return json({ lines: lines.map(withoutLabel), totalCents, ...(prepaid ? { prepaid } : {}) });
  const rows = lines.map(
    (line) =>
      `${line.description}\t${line.minutes} min\t${euros(line.rateCents)}\tx${line.multiplier}\t${euros(line.amountCents)}\n`,
  );
  const balance = prepaid
    ? `prepaid minutes: ${prepaid.beforeMinutes} before, ${prepaid.usedMinutes} used, ${prepaid.afterMinutes} left\n`
    : '';
  return `${rows.join('')}total\t${euros(totalCents)} EUR excl. VAT\n${balance}`;
}
