import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { transformSync } from '@swc/core';
import ts from 'typescript';
import { PRELOADED_WORKFLOW_MODULES } from '../../worker/workflow-code';
import { modulesReachedFrom, valueImportsOf } from '../support/source-imports';

// worker/workflow-code.ts preloads these modules once per worker thread, before any workflow run exists, and every
// run shares them frozen. A module among them (or imported by them) that imported the SDK's workflow API would be
// evaluated outside any run; a package that keeps state per caller would leak it from one ticket to the next. The
// packages they reach are therefore the ones judged safe to share, and no other. Only what the bundle keeps is
// followed: an import of types alone is erased, and loads nothing.
const root = resolve(__dirname, '../..');
const SHARED_PACKAGES = ['@sinclair/typebox', 'luxon'];

test('the preloaded workflow modules import no workflow API and only packages safe to share', () => {
  const { packages } = modulesReachedFrom(PRELOADED_WORKFLOW_MODULES, { types: false });
  const unexpected = [...packages]
    .filter(([name]) => !SHARED_PACKAGES.includes(name))
    .map(([name, file]) => `${name} (imported by ${relative(root, file)})`);
  expect(unexpected).toEqual([]);
});

describe('what the check follows: the imports the bundle keeps', () => {
  const source = [
    "import type { A } from './erased-type';",
    "import { type B, type C } from './erased-named-types';",
    "export type { D } from './erased-export-type';",
    "export { type E } from './erased-named-export-types';",
    "export type * from './erased-export-all-types';",
    "import { type F, g } from './kept-mixed';",
    "import h from './kept-default';",
    "import i, { type J } from './kept-default-beside-type';",
    "import * as k from './kept-namespace';",
    "import {} from './kept-empty';",
    "import './kept-bare';",
    "export { l } from './kept-export';",
    "export * from './kept-export-all';",
    "export const m = () => import('./kept-dynamic');",
    'export const n = [g, h, i, k];',
  ].join('\n');

  it('leaves out the imports of types alone, and only those', () => {
    expect(valueImportsOf(source).sort()).toEqual([
      './kept-bare',
      './kept-default',
      './kept-default-beside-type',
      './kept-dynamic',
      './kept-empty',
      './kept-export',
      './kept-export-all',
      './kept-mixed',
      './kept-namespace',
    ]);
  });

  it("keeps every import that the workflow bundler's compiler keeps, with the options the SDK gives it", () => {
    const { code } = transformSync(source, {
      jsc: { target: 'es2017', parser: { syntax: 'typescript', decorators: true } },
    });
    const emitted = ts.preProcessFile(code, true, true).importedFiles.map(({ fileName }) => fileName);
    expect(emitted.length).toBeGreaterThan(0);
    expect(valueImportsOf(source)).toEqual(expect.arrayContaining(emitted));
  });

  it('still finds the workflow API behind a value import, and not behind an import of its types', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-preload-'));
    const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
    write('rules.ts', "import { defineQuery } from '@temporalio/workflow';\nexport const query = defineQuery('q');\n");
    write('types-only.ts', "import type { query } from './rules';\nexport type Q = typeof query;\n");
    write(
      'value.ts',
      "import { type Q } from './types-only';\nimport { query } from './rules';\nexport const q = query;\n",
    );

    expect([...modulesReachedFrom([join(dir, 'types-only.ts')], { types: false }).packages.keys()]).toEqual([]);
    expect([...modulesReachedFrom([join(dir, 'value.ts')], { types: false }).packages]).toEqual([
      ['@temporalio/workflow', join(dir, 'rules.ts')],
    ]);
  });
});
