import { Type } from '@sinclair/typebox';
import type { TBoolean, TOptional } from '@sinclair/typebox';
import type { InterventionFlag } from './intervention-flags';

// Phrased as what is expected: schema errors read "expected <description>, got ...".
const descriptions: Record<'onSite' | InterventionFlag, string> = {
  onSite: "a boolean: true for work done at the customer's site (priced by the policy's on-site increments)",
  remoteToolMissing:
    "a boolean: true when the remote-control tool had to be installed first (the request's minimum becomes the policy's whenRemoteToolMissing, 60 min on tm-minimum)",
  outOfHoursRequested:
    "a boolean: true when the customer asked for this intervention out of hours (the policy's outOfHoursRequested surcharge, x3 on tm-minimum)",
  urgent: "a boolean: true for urgent handling (the policy's urgent surcharge, x2 on tm-minimum)",
};

const flag = (name: keyof typeof descriptions, options: { default?: boolean } = {}): TOptional<TBoolean> =>
  Type.Optional(Type.Boolean({ ...options, description: descriptions[name] }));

/**
 * The intervention flags (intervention-flags.ts), as schema properties: where a person records time (`time-entries`, and `propose-resolution`'s
 * minutesWorked) and in `vigil price`'s entries file, so the same names price the same way wherever they are given.
 */
export const InterventionFlagProperties = {
  remoteToolMissing: flag('remoteToolMissing'),
  outOfHoursRequested: flag('outOfHoursRequested'),
  urgent: flag('urgent'),
};

/**
 * The priced facts of one intervention, as schema properties: one definition spread into `vigil price`'s entries
 * file and the API's `time-entries` body, so that whatever the CLI prices a real ticket can carry.
 */
export const InterventionFactProperties = {
  onSite: flag('onSite', { default: false }),
  ...InterventionFlagProperties,
};
