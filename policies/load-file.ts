import { readFileSync } from 'node:fs';
import { Policy, PolicyValidationError } from '../domain/policy';

/** Reads and validates a policy file; every failure names the file. Not for workflow code (it reads disk). */
export function loadPolicyFile(file: string): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PolicyValidationError(file, [{ path: '/', message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'})` }]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PolicyValidationError(file, [{ path: '/', message: `expected JSON: ${(error as Error).message}` }]);
  }
  return Policy.parse(raw, file);
}
