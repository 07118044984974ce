import type { Policy, PolicySummary } from '../domain/policy';

/**
 * Where policy versions are looked up: every lookup may wait on a store (PostgreSQL, db/policy-versions.ts) or
 * answer at once (the presets alone, policies/registry.ts, for the offline CLI and the workflow test harness).
 */
export interface PolicySource {
  /** The version a ticket registered at `at` (epoch ms) falls under. */
  inForce(id: string, at: number): Policy | Promise<Policy>;
  /** The given version, or the latest one when no version is asked for. */
  find(id: string, version?: number): Policy | Promise<Policy>;
}

/** A policy source that can also say which policies and versions exist. */
export interface PolicyCatalog extends PolicySource {
  list(): PolicySummary[] | Promise<PolicySummary[]>;
}
