import { WindowedCounts } from '../rate-limit';

export interface SignInLimitSettings {
  /** Consecutive failed passwords after which the account refuses passwords for `lockMs` (links and resets still work). */
  accountFailures: number;
  lockMs: number;
  /** Failed sign-ins, and link or reset requests, one address may make per window. */
  addressAttempts: number;
  addressWindowMs: number;
}

/**
 * Five wrong passwords lock the account for 15 minutes: too few tries for guessing, and the lock ends on its own
 * (a reset ends it at once), so a stranger locking someone out costs them minutes, not the account. Per address,
 * 20 tries in 15 minutes bound a guesser spreading over many accounts, and a flood of mails.
 */
export const DEFAULT_SIGN_IN_LIMITS: SignInLimitSettings = {
  accountFailures: 5,
  lockMs: 15 * 60_000,
  addressAttempts: 20,
  addressWindowMs: 15 * 60_000,
};

/** Per-address counts in memory, as api/rate-limit.ts's AuthFailureLimit keeps them for API keys. */
export class AddressLimit {
  private readonly counts: WindowedCounts;

  constructor(
    private readonly settings: SignInLimitSettings,
    private readonly now: () => number,
  ) {
    this.counts = new WindowedCounts(settings.addressWindowMs, 10_000, now);
  }

  /** Minutes until the address may try again; undefined while it may. */
  waitMinutes(address: string): number | undefined {
    const window = this.counts.get(address);
    if (!window || window.hits < this.settings.addressAttempts) return undefined;
    return Math.max(1, Math.ceil((window.endsAt - this.now()) / 60_000));
  }

  hit(address: string): void {
    this.counts.hit(address);
  }
}
