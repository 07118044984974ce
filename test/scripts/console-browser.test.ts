/** scripts/console-browser.js, plain JavaScript as the bootstrap is (Node built-ins only, no build step). */
interface ChromiumStep {
  CHROMIUM: string;
  ensureChromium: (machine: {
    log: (line: string) => void;
    run: (command: string, args: string[], options?: object) => void;
    isRoot?: boolean;
    exists?: (file: string) => boolean;
    env?: Record<string, string | undefined>;
  }) => void;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ensureChromium, CHROMIUM } = require('../../scripts/console-browser') as ChromiumStep;

// The bootstrap's Chromium step (scripts/console-browser.js), with the machine replaced by what each case needs: it
// installs Chromium whenever it is missing and it can (as root, with apt-get), CI or not, and otherwise says how.
describe("the bootstrap installs the console tests' Chromium when missing", () => {
  function machine({
    isRoot = true,
    has = ['/usr/bin/apt-get'],
    env = {},
    failing = false,
  }: {
    isRoot?: boolean;
    has?: string[];
    env?: Record<string, string>;
    failing?: boolean;
  }) {
    const files = new Set(has);
    const said: string[] = [];
    const ran: string[] = [];
    const run = (command: string, args: string[]) => {
      ran.push([command, ...args].join(' '));
      if (failing) throw new Error(`${command} ${args.join(' ')} exited with 100`);
      if (args.includes('chromium')) files.add(CHROMIUM);
    };
    const step = () =>
      ensureChromium({
        log: (line: string) => said.push(line),
        run,
        isRoot,
        exists: (file: string) => files.has(file),
        env,
      });
    return { step, said, ran };
  }

  it('installs it with apt-get as root on a developer machine, not only on CI', () => {
    const { step, said, ran } = machine({});
    step();
    expect(ran).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends chromium']);
    expect(said.at(-1)).toBe(`Chromium ready: ${CHROMIUM}`);
  });

  it('touches nothing when it is there, or VIGIL_CHROMIUM names one that is', () => {
    for (const case_ of [
      machine({ has: ['/usr/bin/apt-get', CHROMIUM] }),
      machine({ has: ['/usr/bin/apt-get', '/opt/chrome'], env: { VIGIL_CHROMIUM: '/opt/chrome' } }),
    ]) {
      case_.step();
      expect([case_.ran, case_.said]).toEqual([[], []]);
    }
  });

  it('says how to install it, and that the browser tests will fail, when it cannot install (not root, or no apt-get)', () => {
    for (const case_ of [machine({ isRoot: false }), machine({ has: [] })]) {
      case_.step();
      expect(case_.ran).toEqual([]);
      expect(case_.said).toEqual([
        expect.stringMatching(
          /^Chromium is not at \/usr\/bin\/chromium: the console's browser tests .* will FAIL until it is there; install it with apt-get install -y chromium/,
        ),
      ]);
    }
    const named = machine({ env: { VIGIL_CHROMIUM: '/nowhere/chrome' } });
    named.step();
    expect(named.said).toEqual([expect.stringContaining('Chromium is not at VIGIL_CHROMIUM=/nowhere/chrome')]);
  });

  it('stops a CI run whose install fails; elsewhere it says so and goes on', () => {
    expect(() => machine({ failing: true, env: { CI: 'true' } }).step()).toThrow('apt-get update -qq exited with 100');
    const local = machine({ failing: true });
    local.step();
    expect(local.said.at(-1)).toMatch(
      /will FAIL until it is there; .* \(apt-get failed: apt-get update -qq exited with 100\)$/,
    );
  });
});
