/** What prepaid hours looked like before and after a price, in minutes. */
export interface PrepaidBalance {
  readonly beforeMinutes: number;
  readonly usedMinutes: number;
  readonly afterMinutes: number;
}

/** A balance of prepaid minutes that billed minutes draw on, in the order they are priced. */
export class PrepaidHours {
  private used = 0;

  constructor(private readonly beforeMinutes: number) {}

  /** How many of `minutes` the balance covers; those are taken from it. */
  draw(minutes: number): number {
    const covered = Math.min(minutes, this.beforeMinutes - this.used);
    this.used += covered;
    return covered;
  }

  get balance(): PrepaidBalance {
    return { beforeMinutes: this.beforeMinutes, usedMinutes: this.used, afterMinutes: this.beforeMinutes - this.used };
  }
}
