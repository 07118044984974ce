import { CONTRACT_RATE } from './contract-rates';
import { hoursText, spanText } from './describe';
import type { LineLabel, LineNote } from './line-labels';

/** Said on the lines of an intervention that had to install the remote-control tool first, where the policy prices it. */
export const REMOTE_TOOL_INSTALLED = 'remote-control tool installed first';

const euros = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')} EUR`;

/** `request minimum 15 min: +10 min`; the reason for 60 is given unless the line already states it. */
function noteText(note: LineNote): string {
  switch (note.kind) {
    case 'contract-rate':
      return CONTRACT_RATE;
    case 'remote-tool-installed':
      return REMOTE_TOOL_INSTALLED;
    case 'band':
      return note.contractRate ? `${note.label} (${CONTRACT_RATE})` : note.label;
    case 'request-minimum':
      return `request minimum ${note.minimumMinutes} min${note.why ? ` (${REMOTE_TOOL_INSTALLED})` : ''}: +${note.addedMinutes} min`;
    case 'from-prepaid':
      return 'from prepaid hours';
  }
}

/**
 * A line's English description from its label: what `vigil price` prints and billing_lines.description keeps. The
 * other languages are domain/invoicing/line-texts.ts's; English invoices use this one.
 */
export function describeLine(label: LineLabel): string {
  switch (label.kind) {
    case 'intervention': {
      const what = [label.rateName, label.onSite ? 'on site' : null].filter(Boolean).join(', ');
      return [
        `Intervention ${label.intervention}${what ? ` (${what})` : ''}`,
        spanText(label.span),
        ...label.notes.map(noteText),
      ].join(', ');
    }
    case 'emergency-fee':
      return 'Emergency fee, charged at ticket opening';
    case 'travel-fee':
      return `Travel fee, intervention ${label.intervention}${label.contractRate ? `, ${CONTRACT_RATE}` : ''}`;
    case 'travel-time':
      return `Travel time, intervention ${label.intervention}${label.contractRate ? `, ${CONTRACT_RATE}` : ''}`;
    case 'travel-fees':
      return 'Travel fees';
    case 'quoted-work':
      return 'work outside the contract, per the accepted quote';
    case 'monthly-fee':
      return `Monthly contract fee, ${label.plan}, ${label.month}`;
    case 'prepaid-purchase': {
      const list = label.listRateCents === null ? 'the hourly rate' : `${euros(label.listRateCents)}/h`;
      const contract = label.contractId === undefined ? '' : ` (contract ${label.contractId})`;
      return `${hoursText(label.minutes)} maintenance hours for ${label.year}, ${list} less ${label.discountPercent}%${label.contractRate ? `, ${CONTRACT_RATE}` : ''}${contract}`;
    }
  }
}
