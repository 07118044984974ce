import { DateTime } from 'luxon';
import { BusinessCalendar, CalendarError } from '../calendar';
import type { Duration } from '../calendar';
import { compileBilling } from '../pricing/billing-rules';
import type { BillingRules } from '../pricing/billing-rules';
import { emergencyResponseOf, emergencyTargetIssues, type EmergencyResponse } from './emergency';
import { PolicyValidationError } from './errors';
import type { PolicyIssue } from './errors';
import { PolicySchema } from './schema';
import { peopleLimitIssues } from './terms';
import type { PolicyDocument } from './schema';
import { schemaIssues, unsafeTextIssues } from './validation';
import { TICKET_KINDS } from './vocabulary';
import type { Metric, Priority, TicketKind } from './vocabulary';

/** What of a ticket decides its clocks' targets. */
export interface ClockTicket {
  priority: Priority;
  channel?: 'standard' | 'emergency';
  emergencyResponseTarget?: Duration;
}

/** A validated policy version with its calendars compiled. */
export class Policy {
  private constructor(
    readonly document: PolicyDocument,
    /** Epoch ms from which registrations fall under this version. */
    readonly effectiveFrom: number,
    private readonly calendars: Readonly<Record<TicketKind, BusinessCalendar>>,
    /** How its time becomes money; null where the terms bill nothing. */
    readonly billing: BillingRules | null,
  ) {}

  get id(): string {
    return this.document.id;
  }

  get version(): number {
    return this.document.version;
  }

  calendarFor(kind: TicketKind): BusinessCalendar {
    return this.calendars[kind];
  }

  /** The target of a metric for a priority; null when the policy sets none (best effort). */
  targetFor(metric: Metric, priority: Priority): Duration | null {
    return this.document.targets[metric]?.[priority] ?? null;
  }

  /**
   * The response rules of a ticket opened through the emergency channel, in calendar time; undefined where the policy
   * gives the channel no clock of its own. `contractTarget`: the contract's target, replacing the policy's.
   */
  emergencyResponse(contractTarget?: Duration): EmergencyResponse | undefined {
    const { emergency } = this.document;
    return emergency && emergencyResponseOf(emergency, contractTarget);
  }

  /**
   * The target a ticket's clock runs on: an emergency's response clock on the emergency target (the contract's, else
   * the policy's), in calendar time whatever the priority; every other clock on its priority's target.
   */
  clockTargetFor(metric: Metric, ticket: ClockTicket): Duration | null {
    const emergency =
      ticket.channel === 'emergency' && metric === 'response'
        ? this.emergencyResponse(ticket.emergencyResponseTarget)
        : undefined;
    return emergency?.target ?? this.targetFor(metric, ticket.priority);
  }

  /**
   * Every escalation level the policy notifies, its emergency clock's and the emergency's opening's included: what a
   * contract names people for.
   */
  get escalationLevels(): string[] {
    const { escalation, emergency } = this.document;
    const levels = [...escalation, ...(emergency?.escalation ?? [])];
    return [...new Set([...levels.flatMap((level) => level.notify), ...(emergency?.atOpening ?? [])])];
  }

  /**
   * Validates `raw` against the schema and the rules the schema cannot express,
   * naming `source` (a file name, usually) in the error.
   */
  static parse(raw: unknown, source: string): Policy {
    const shapeIssues = [...unsafeTextIssues(raw), ...schemaIssues(PolicySchema, raw)];
    if (shapeIssues.length > 0) throw new PolicyValidationError(source, shapeIssues);
    const document = raw as PolicyDocument;
    const issues: PolicyIssue[] = [];
    const effectiveFrom = DateTime.fromISO(document.effectiveFrom, { setZone: true });
    if (!effectiveFrom.isValid)
      issues.push({ path: '/effectiveFrom', message: `expected a real date-time, got "${document.effectiveFrom}"` });
    const compiled = compileCalendars(document, issues);
    const billing = document.billing ? compileBilling(document.id, document.billing, issues) : null;
    issues.push(...ascendingIssues(document.warningPercents, '/warningPercents'));
    issues.push(
      ...ascendingIssues(
        document.escalation.map((level) => level.atPercent),
        '/escalation',
        '/atPercent',
      ),
    );
    issues.push(...peopleLimitIssues(document));
    if (document.emergency) {
      issues.push(...emergencyTargetIssues(document.emergency.responseTarget, '/emergency/responseTarget'));
      issues.push(...ascendingIssues(document.emergency.warningPercents, '/emergency/warningPercents'));
      issues.push(
        ...ascendingIssues(
          document.emergency.escalation.map((level) => level.atPercent),
          '/emergency/escalation',
          '/atPercent',
        ),
      );
    }
    if (issues.length > 0) throw new PolicyValidationError(source, issues);
    const calendars = Object.fromEntries(
      TICKET_KINDS.map((kind) => [kind, compiled.get(document.calendarByKind[kind])]),
    ) as Record<TicketKind, BusinessCalendar>;
    return new Policy(document, effectiveFrom.toMillis(), calendars, billing);
  }
}

function compileCalendars(document: PolicyDocument, issues: PolicyIssue[]): Map<string, BusinessCalendar> {
  const compiled = new Map<string, BusinessCalendar>();
  for (const [name, spec] of Object.entries(document.calendars)) {
    try {
      compiled.set(name, BusinessCalendar.compile(spec));
    } catch (error) {
      if (!(error instanceof CalendarError)) throw error;
      issues.push({ path: `/calendars/${name}${error.path ?? ''}`, message: error.message });
    }
  }
  const names = Object.keys(document.calendars);
  for (const kind of TICKET_KINDS) {
    const name = document.calendarByKind[kind];
    if (!names.includes(name)) {
      issues.push({
        path: `/calendarByKind/${kind}`,
        message: `expected one of the calendars ${names.map((n) => `"${n}"`).join(', ') || '(none defined)'}, got "${name}"`,
      });
    }
  }
  return compiled;
}

// Thresholds are read in order by the workflow; keeping them sorted in the file keeps them readable too.
function ascendingIssues(values: readonly number[], path: string, suffix = ''): PolicyIssue[] {
  return values.flatMap((value, index) => {
    const previous = values[index - 1];
    return previous !== undefined && value <= previous
      ? [
          {
            path: `${path}/${index}${suffix}`,
            message: `expected a value above the previous one (${previous}), got ${value}`,
          },
        ]
      : [];
  });
}
