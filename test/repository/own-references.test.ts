import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// Comments, test names and docs say why in terms of this repository's own files (a preset in policies/presets/, a
// module, a test), which whoever carries Vigil on can open: not a brief, a tracker or source texts kept elsewhere.
const root = resolve(__dirname, '../..');
const outside: ReadonlyArray<readonly [RegExp, string]> = [
  [/DOMAIN\.md/, 'the domain brief outside the repository'],
  [/\bissues? #?\d+/i, 'an issue of the tracker'],
  [/\bseeds?\s+\d{3}\b|\bseeds\//i, 'a source text outside the repository'],
];
const SKIPPED = new Set(['node_modules', 'coverage']);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return entry.name.startsWith('.') || SKIPPED.has(entry.name) ? [] : sourceFiles(path);
    return /\.(ts|js|mjs|cjs|md)$/.test(entry.name) ? [path] : [];
  });
}

test('no source file or doc names a document outside the repository', () => {
  // This file names what it looks for, so it is left out.
  const files = sourceFiles(root).filter((file) => file !== __filename);
  expect(files.length).toBeGreaterThan(300);
  const found = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) =>
        outside
          .filter(([pattern]) => pattern.test(line))
          .map(([, what]) => `${relative(root, file)}:${index + 1} names ${what}: ${line.trim()}`),
      ),
  );
  expect(found).toEqual([]);
});

// A path into one of the repository's own folders, as comments and docs name files: `worker/main.ts`, `db/`.
const TOP_FOLDERS = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && !SKIPPED.has(entry.name))
  .map((entry) => entry.name);
const namedPath = new RegExp(`(?<![\\w./@-])((?:${TOP_FOLDERS.join('|')})/[\\w./-]*\\w)(-?\\*)?`, 'g');
const isComment = (file: string, line: string) => file.endsWith('.md') || /^\s*(\/\/|\/\*|\*)/.test(line);
const exists = (path: string) =>
  ['', '.ts', '.js', '.mjs', '.cjs'].some((extension) => existsSync(join(root, path + extension)));

test("every file or folder of the repository's own that a comment or doc names is there", () => {
  const files = sourceFiles(root).filter((file) => file !== __filename);
  const missing = files.flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, index) =>
        isComment(file, line)
          ? [...line.matchAll(namedPath)]
              // A pattern (`test/e2e/console-*.test.ts`) names files by a prefix, not a file.
              .filter(([, path, glob]) => glob === undefined && !exists(path!))
              .map(([, path]) => `${relative(root, file)}:${index + 1} names ${path}, which is not there`)
          : [],
      ),
  );
  expect(missing).toEqual([]);
});
