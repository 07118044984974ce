import { METRICS, PRIORITIES, TICKET_KINDS, deadlinesFor, isPriority, isTicketKind } from '../domain/policy';
import { loadPolicyFile } from '../policies/load-file';
import { listPolicies, policyInForce } from '../policies/registry';
import { UsageError } from './args';
import type { ParsedArgs } from './args';
import { formatInstant, parseInstant } from './instant';

function json(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

export function policiesCommand(args: ParsedArgs): string {
  const policies = listPolicies();
  if (args.flags.has('json')) return json(policies);
  return policies.map(({ id, versions }) => `${id}\tv${versions.join(', v')}\n`).join('');
}

function required(args: ParsedArgs, name: string): string {
  const value = args.options.get(name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

export function deadlinesCommand(args: ParsedArgs): string {
  const policyId = required(args, 'policy');
  const registeredAt = parseInstant(required(args, 'opened'), 'opened');
  const priority = args.options.get('priority') ?? 'P3';
  const kind = args.options.get('kind') ?? 'incident';
  if (!isPriority(priority)) throw new UsageError(`--priority: unknown priority "${priority}" (expected ${PRIORITIES.join(', ')})`);
  if (!isTicketKind(kind)) throw new UsageError(`--kind: unknown kind "${kind}" (expected ${TICKET_KINDS.join(', ')})`);

  const policy = policyInForce(policyId, registeredAt);
  const zone = policy.calendarFor(kind).zone.name;
  const deadlines = deadlinesFor(policy, { kind, priority, registeredAt });
  const shown = Object.fromEntries(METRICS.map((metric) => {
    const instant = deadlines[metric];
    return [metric, instant === null ? null : formatInstant(instant, zone)];
  }));
  const answer = { policy: policy.id, version: policy.version, registeredAt: formatInstant(registeredAt, zone), deadlines: shown };
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
