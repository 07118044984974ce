import type { ProposeResolutionCommand, TakeChargeCommand, ValidateCommand } from '../contracts/ticket';
import { InvalidArgumentError } from '../domain/errors';

function requireText(value: unknown, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidArgumentError(field, 'a non-empty string');
}

export function checkTakeCharge(command: TakeChargeCommand): void {
  requireText(command?.agent, 'agent');
}

export function checkProposeResolution(command: ProposeResolutionCommand): void {
  requireText(command?.agent, 'agent');
  requireText(command.resolution, 'resolution');
  if (!Number.isSafeInteger(command.minutesWorked) || command.minutesWorked < 0) {
    throw new InvalidArgumentError('minutesWorked', 'a non-negative integer');
  }
}

export function checkValidate(command: ValidateCommand): void {
  requireText(command?.contact, 'contact');
  if (command.comment !== undefined && typeof command.comment !== 'string') throw new InvalidArgumentError('comment', 'a string');
}
