import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { importsOf, resolveImport } from '../support/source-imports';

// eslint.config.mjs's import-x/no-cycle catches a cycle of values as one edits; it skips `import type`, and the two
// cycles cli/run.ts ↔ cli/admin.ts and domain/policy ↔ domain/pricing were type imports. This test follows every
// relative import, types included, so a module's folder never depends on itself through another.
const root = resolve(__dirname, '../..');
const sourceFolders = [
  'activities',
  'api',
  'bench',
  'cli',
  'db',
  'domain',
  'infra',
  'mail',
  'messages',
  'policies',
  'scripts',
  'worker',
  'workflows',
  'test',
];

function typescriptFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : typescriptFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Strongly connected components of more than one file (or a file importing itself), by Tarjan's algorithm. */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

test('no module imports itself back through others, type imports included', () => {
  const graph = new Map<string, string[]>();
  for (const file of sourceFolders.flatMap((folder) => typescriptFiles(join(root, folder)))) {
    const targets = importsOf(file)
      .map((specifier) => resolveImport(file, specifier))
      .filter((path) => path !== undefined);
    graph.set(file, targets);
  }
  expect(graph.size).toBeGreaterThan(300);
  expect(cyclesOf(graph).map((files) => files.map((file) => relative(root, file)))).toEqual([]);
});
