/**
 * The preset policies, imported statically so that any process has them without a file system path (and the
 * offline CLI, `vigil price`, without a database); each is validated when this module loads, so a bad preset fails
 * at start, not a ticket later. Running processes look policies up in PostgreSQL (db/policy-versions.ts), where
 * these are the first versions and later ones are published without a deploy.
 */
import { Policy, PolicyRegistry } from '../domain/policy';
import type { PolicySummary } from '../domain/policy';
import careSolutions from './presets/care-solutions.v1.json';
import econnectMaintenance from './presets/econnect-maintenance.v1.json';
import econnect from './presets/econnect.v1.json';
import esker from './presets/esker.v1.json';
import mixvoipBureau from './presets/mixvoip-bureau.v1.json';
import mixvoipEntreprises from './presets/mixvoip-entreprises.v1.json';
import mixvoipNone from './presets/mixvoip-none.v1.json';
import mixvoipStandard from './presets/mixvoip-standard.v1.json';
import tmMinimum from './presets/tm-minimum.v1.json';

/** Each preset document beside its file: db/migrate.ts loads them into PostgreSQL as the first published versions. */
export const presetDocuments: ReadonlyArray<readonly [document: unknown, file: string]> = [
  [econnect, 'policies/presets/econnect.v1.json'],
  [econnectMaintenance, 'policies/presets/econnect-maintenance.v1.json'],
  [tmMinimum, 'policies/presets/tm-minimum.v1.json'],
  [careSolutions, 'policies/presets/care-solutions.v1.json'],
  [mixvoipNone, 'policies/presets/mixvoip-none.v1.json'],
  [mixvoipStandard, 'policies/presets/mixvoip-standard.v1.json'],
  [mixvoipBureau, 'policies/presets/mixvoip-bureau.v1.json'],
  [mixvoipEntreprises, 'policies/presets/mixvoip-entreprises.v1.json'],
  [esker, 'policies/presets/esker.v1.json'],
];

export const presetRegistry = new PolicyRegistry(
  presetDocuments.map(([document, file]) => Policy.parse(document, file)),
  'policies/registry.ts',
);

export function findPolicy(id: string, version?: number): Policy {
  return presetRegistry.find(id, version);
}

export function policyInForce(id: string, atEpochMs: number): Policy {
  return presetRegistry.inForce(id, atEpochMs);
}

export function listPolicies(): PolicySummary[] {
  return presetRegistry.list();
}
