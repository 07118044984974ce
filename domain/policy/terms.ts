import type { PolicyIssue } from './errors';
import type { PolicyDocument } from './schema';

/** How many people may log time on one ticket, and on which services (the care-solutions preset: "max trois intervenants"). */
export interface PeopleLimit {
  people: number;
  /** Only time logged under these services counts, and is limited; absent: every entry does. */
  services?: string[];
}

/** The gates and clock rules of a policy version that a ticket keeps for its life. */
export interface PolicyTerms {
  quoteRequiredAboveMinutes?: number;
  outOfHoursContacts: 'any' | 'authorized';
  workaroundStopsResolutionClock: boolean;
  /** A proposed resolution validates itself after the policy's delay (its `autoValidationAfter`). */
  autoValidates: boolean;
  maxPeoplePerTicket?: PeopleLimit;
}

/** The contract's own figures that replace the policy's in its terms (db/account-input.ts checks they have a place). */
export interface ContractTerms {
  quoteRequiredAboveMinutes?: number;
  /** The people counted by the policy's limit, on the services it names. */
  maxPeoplePerTicket?: number;
}

/** Of a policy (domain/policy/policy.ts), taken by its document only so that this module stays a leaf policy.ts imports. */
export function termsOf(
  { document }: { readonly document: PolicyDocument },
  contract: ContractTerms = {},
): PolicyTerms {
  const { outOfHoursContacts = 'any', workaroundStopsResolutionClock, autoValidationAfter } = document;
  // A contract moves a quote gate or a people limit its policy has; it never adds one the policy's terms do not know.
  const quoteRequiredAboveMinutes =
    document.quoteRequiredAboveMinutes === undefined
      ? undefined
      : (contract.quoteRequiredAboveMinutes ?? document.quoteRequiredAboveMinutes);
  const maxPeoplePerTicket = document.maxPeoplePerTicket && {
    ...document.maxPeoplePerTicket,
    people: contract.maxPeoplePerTicket ?? document.maxPeoplePerTicket.people,
  };
  return {
    quoteRequiredAboveMinutes,
    outOfHoursContacts,
    workaroundStopsResolutionClock,
    autoValidates: autoValidationAfter !== null,
    ...(maxPeoplePerTicket ? { maxPeoplePerTicket } : {}),
  };
}

/** A people limit on services the policy does not bill would never apply: the name is a mistake. */
export function peopleLimitIssues({ maxPeoplePerTicket, billing }: PolicyDocument): PolicyIssue[] {
  const known = Object.keys(billing?.rates.hourlyCentsByService ?? {});
  return (maxPeoplePerTicket?.services ?? []).flatMap((service, index) =>
    known.includes(service)
      ? []
      : [
          {
            path: `/maxPeoplePerTicket/services/${index}`,
            message: `expected a service the policy bills (${known.map((name) => `"${name}"`).join(', ') || 'none'}), got "${service}"`,
          },
        ],
  );
}
