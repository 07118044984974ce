import { PolicyLookupError, PolicyValidationError } from './errors';
import type { Policy } from './policy';

export interface PolicySummary {
  readonly id: string;
  readonly versions: readonly number[];
}

/**
 * Every known version of every policy. A ticket keeps the version in force when
 * it was registered, so lookups go by id and version, or by id and instant.
 */
export class PolicyRegistry {
  private readonly byId = new Map<string, readonly Policy[]>();

  constructor(policies: readonly Policy[], source = 'policy registry') {
    for (const policy of policies) {
      const versions = this.byId.get(policy.id) ?? [];
      const clash = versions.find(
        (known) => known.version === policy.version || known.effectiveFrom === policy.effectiveFrom,
      );
      if (clash) {
        throw new PolicyValidationError(source, [
          {
            path: '/',
            message: `${policy.id} v${policy.version} clashes with v${clash.version} (same version or effective date)`,
          },
        ]);
      }
      this.byId.set(
        policy.id,
        [...versions, policy].sort((a, b) => a.version - b.version),
      );
    }
    for (const [id, versions] of this.byId) {
      versions.forEach((policy, index) => {
        const previous = versions[index - 1];
        if (previous && previous.effectiveFrom > policy.effectiveFrom) {
          throw new PolicyValidationError(source, [
            { path: '/', message: `${id} v${policy.version} takes effect before v${previous.version}` },
          ]);
        }
      });
    }
  }

  list(): PolicySummary[] {
    return [...this.byId].map(([id, versions]) => ({ id, versions: versions.map((policy) => policy.version) }));
  }

  /** The given version, or the latest one when no version is asked for. */
  find(id: string, version?: number): Policy {
    const versions = this.versionsOf(id);
    const found =
      version === undefined ? versions[versions.length - 1] : versions.find((policy) => policy.version === version);
    if (!found) throw new PolicyLookupError('POLICY_VERSION_UNKNOWN', `policy "${id}" has no version ${version}`);
    return found;
  }

  /** The version a ticket registered at `instant` falls under. */
  inForce(id: string, instant: number): Policy {
    const inForce = this.versionsOf(id)
      .filter((policy) => policy.effectiveFrom <= instant)
      .pop();
    if (!inForce)
      throw new PolicyLookupError('POLICY_NOT_IN_FORCE', `policy "${id}" was not yet in force at that instant`);
    return inForce;
  }

  private versionsOf(id: string): readonly Policy[] {
    const versions = this.byId.get(id);
    if (!versions)
      throw new PolicyLookupError(
        'POLICY_UNKNOWN',
        `unknown policy "${id}" (known: ${[...this.byId.keys()].join(', ')})`,
      );
    return versions;
  }
}
