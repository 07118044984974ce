/** The figures of the run, one row per scenario, then every failed check; and whether the run passed. */
import type { Ledger } from './ledger';
import type { Verdicts } from './verdicts';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0;
}

/** From the part's restart to the first success answered after it: how long clients still waited once it was back. */
function recovery(ledger: Ledger, scenario: string): string {
  const fault = ledger.of(ledger.faults, scenario)[0];
  if (!fault) return '';
  const firstSuccess = ledger
    .of(ledger.exchanges, scenario)
    .find((exchange) => exchange.at >= fault.upAt && exchange.status >= 200 && exchange.status < 300);
  return `${seconds(fault.upAt - fault.downAt)} down, ${firstSuccess ? `+${seconds(firstSuccess.at - fault.upAt)}` : 'never'}`;
}

function statuses(codes: number[]): string {
  const counts = new Map<number, number>();
  for (const code of codes) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([code, count]) => `${code === 0 ? 'none' : code}:${count}`)
    .join(' ');
}

export function report(ledger: Ledger, verdicts: Verdicts, elapsedMs: number): { text: string; passed: boolean } {
  const header = [
    'scenario',
    'requests',
    'answers',
    'intents',
    'applied',
    'lost',
    'doubled',
    'p50',
    'max',
    'fault, then recovery',
  ];
  const rows = ledger.scenarios.map((scenario) => {
    const exchanges = ledger.of(ledger.exchanges, scenario);
    const latencies = exchanges.map((exchange) => exchange.ms);
    const { applied, appliedUnanswered, lost, doubled } = verdicts.of(scenario);
    const intents = ledger.of(ledger.intents, scenario).length;
    return [
      scenario,
      String(exchanges.length),
      statuses(exchanges.map((exchange) => exchange.status)),
      String(intents),
      `${applied}${appliedUnanswered ? ` (${appliedUnanswered} unanswered)` : ''}`,
      String(lost),
      String(doubled),
      `${percentile(latencies, 0.5)} ms`,
      `${Math.max(0, ...latencies)} ms`,
      recovery(ledger, scenario),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  const total = verdicts.total;
  const serverErrors = ledger.exchanges.filter((exchange) => exchange.status >= 500 && exchange.status !== 503).length;
  const passed = total.lost === 0 && total.doubled === 0 && serverErrors === 0 && ledger.failures.length === 0;
  const text = [
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `${ledger.exchanges.length} requests in ${seconds(elapsedMs)}; lost ${total.lost}, doubled ${total.doubled}, 5xx other than 503: ${serverErrors}, failed checks: ${ledger.failures.length}`,
    ...ledger.notes,
    ...ledger.failures.map((failure) => `  FAILED [${failure.scenario}] ${failure.message}`),
    passed ? 'PASSED: nothing lost, nothing doubled, no 500' : 'FAILED',
  ];
  return { text: text.join('\n'), passed };
}
