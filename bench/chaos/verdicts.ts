/** Lost and doubled intents per scenario, as the final checks find them. */
export interface Verdict {
  /** Found exactly once: an applied action, an opened ticket, an acknowledgement queued. */
  applied: number;
  /** Applied though its last answer was none, a 503 or a 429: what a client without a key cannot know. */
  appliedUnanswered: number;
  lost: number;
  doubled: number;
}

export class Verdicts {
  private readonly byScenario = new Map<string, Verdict>();

  of(scenario: string): Verdict {
    let verdict = this.byScenario.get(scenario);
    if (!verdict) this.byScenario.set(scenario, (verdict = { applied: 0, appliedUnanswered: 0, lost: 0, doubled: 0 }));
    return verdict;
  }

  /** `found` copies of something that should be there `expected` (0 or 1) times, or at most once when undefined. */
  count(
    scenario: string,
    found: number,
    expected: 0 | 1 | undefined,
    { unanswered = false }: { unanswered?: boolean } = {},
  ): void {
    const verdict = this.of(scenario);
    if (found > 1) verdict.doubled += 1;
    else if (expected === 1 && found === 0) verdict.lost += 1;
    if (found === 1 && unanswered) verdict.appliedUnanswered += 1;
  }

  /** The applied count is of intents, not of acknowledgements: counted apart from `count`. */
  applied(scenario: string): void {
    this.of(scenario).applied += 1;
  }

  get total(): Pick<Verdict, 'lost' | 'doubled'> {
    const all = [...this.byScenario.values()];
    return {
      lost: all.reduce((sum, verdict) => sum + verdict.lost, 0),
      doubled: all.reduce((sum, verdict) => sum + verdict.doubled, 0),
    };
  }
}
