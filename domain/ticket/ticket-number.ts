/** Human ticket numbers: what the customer quotes on the phone and what the workflow ID derives from. */
const PREFIX = 'VIG';
const DIGITS = 6;

export const TICKET_NUMBER_PATTERN = `^${PREFIX}-[0-9]{${DIGITS},}$`;

export function formatTicketNumber(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1)
    throw new RangeError(`ticket sequence must be a positive integer, got ${sequence}`);
  return `${PREFIX}-${String(sequence).padStart(DIGITS, '0')}`;
}
