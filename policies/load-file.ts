import { Policy, PolicyValidationError } from '../domain/policy';
import { readJsonFile } from './json-file';

/** Reads and validates a policy file; every failure names the file. Not for workflow code (it reads disk). */
export function loadPolicyFile(file: string): Policy {
  const raw = readJsonFile(file, (message) => new PolicyValidationError(file, [{ path: '/', message }]));
  return Policy.parse(raw, file);
}
