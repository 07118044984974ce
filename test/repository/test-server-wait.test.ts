import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// test/support/time-skipping.ts waits a bounded time for the Java server to answer; a test file that starts it must
// give its tests and hooks longer than that, or a server that never answers reads as the test's own timeout instead
// of the wait's error, which names the server. Read from the source, as this `pure` file may not load that module.
const root = resolve(__dirname, '../..');
const serverModule = join(root, 'test/support/time-skipping.ts');
const bound = Number(
  /export const SERVER_ANSWERS_WITHIN_MS = ([\d_]+);/.exec(readFileSync(serverModule, 'utf8'))![1]!.replaceAll('_', ''),
);
// jest.config.js is CommonJS, which TypeScript does not type: read as Jest reads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTimeout } = require('../../jest.config.js') as { testTimeout: number };

function testFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return path.endsWith('.test.ts') ? [path] : [];
  });
}

/** Whether `file` imports the server's module, itself or through the test/ modules it imports. */
function reachesServer(file: string, seen = new Set<string>()): boolean {
  if (file === serverModule) return true;
  if (seen.has(file)) return false;
  seen.add(file);
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.some(({ fileName }) => {
    if (!fileName.startsWith('.')) return false;
    const base = resolve(dirname(file), fileName);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((path) => existsSync(path));
    return target !== undefined && target.startsWith(join(root, 'test')) && reachesServer(target, seen);
  });
}

test('every test file that starts the time-skipping server gives its tests longer than the wait for it', () => {
  expect(bound).toBeGreaterThan(0);
  const starters = testFiles(join(root, 'test')).filter((file) => reachesServer(file));
  expect(starters.length).toBeGreaterThan(0);
  const tooShort = starters.flatMap((file) => {
    const set = /jest\.setTimeout\(([\d_]+)\)/.exec(readFileSync(file, 'utf8'));
    const timeout = set ? Number(set[1]!.replaceAll('_', '')) : testTimeout;
    return timeout > bound ? [] : [`${relative(root, file)}: ${timeout} ms`];
  });
  expect(tooShort).toEqual([]);
});
