/**
 * What a priced line is, as data rather than words: its kind and the figures and names it quotes. Pricing writes
 * both this and the line's English `description` (kept in billing_lines.description for `vigil price`, the API's
 * ticket view and rows older than labels); an invoice words the label in its customer's language when it is
 * composed (domain/invoicing/line-texts.ts), so a French customer's fee reads in French on the HTML, PDF and
 * e-invoices alike. test/invoicing/line-texts.test.ts holds the English wording of every label to `description`.
 */

/** A local wall-clock stretch as the desk's zone reads it: YYYY-MM-DD dates, HH:MM[:SS] times. */
export interface LocalSpan {
  readonly date: string;
  readonly from: string;
  /** Only when the stretch ends on another day. */
  readonly toDate?: string;
  readonly to: string;
}

/** What a line of an intervention says besides its span, in the order it says it. */
export type LineNote =
  | { readonly kind: 'contract-rate' }
  | { readonly kind: 'remote-tool-installed' }
  /** A time band or surcharge, by the policy's own label; `contractRate` when the contract replaced its coefficient. */
  | { readonly kind: 'band'; readonly label: string; readonly contractRate?: boolean }
  /** The request's minimum topped up on this line; `why` when the line does not already say the tool was installed. */
  | {
      readonly kind: 'request-minimum';
      readonly minimumMinutes: number;
      readonly addedMinutes: number;
      readonly why: boolean;
    }
  | { readonly kind: 'from-prepaid' };

export type LineLabel =
  | {
      readonly kind: 'intervention';
      /** 1-based, as the line says it. */
      readonly intervention: number;
      /** The role or service the rate was found under, as the policy names it. */
      readonly rateName: string | null;
      readonly onSite: boolean;
      readonly span: LocalSpan;
      readonly notes: readonly LineNote[];
    }
  | { readonly kind: 'emergency-fee' }
  | { readonly kind: 'travel-fee'; readonly intervention: number; readonly contractRate: boolean }
  | { readonly kind: 'travel-time'; readonly intervention: number; readonly contractRate: boolean }
  | { readonly kind: 'travel-fees' }
  | { readonly kind: 'quoted-work' }
  /** `month` YYYY-MM; `plan` the policy's title. */
  | { readonly kind: 'monthly-fee'; readonly plan: string; readonly month: string }
  /** `listRateCents`: the hourly rate before the discount, null when it does not divide back exactly. */
  | {
      readonly kind: 'prepaid-purchase';
      readonly minutes: number;
      readonly year: number;
      readonly listRateCents: number | null;
      readonly discountPercent: number;
      /** The rate is the contract's own (activities/invoicing.ts, purchasePriceLine). */
      readonly contractRate?: boolean;
      readonly contractId?: string;
    };
