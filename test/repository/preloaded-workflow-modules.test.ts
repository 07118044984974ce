import { relative, resolve } from 'node:path';
import { PRELOADED_WORKFLOW_MODULES } from '../../worker/workflow-code';
import { modulesReachedFrom } from '../support/source-imports';

// worker/workflow-code.ts preloads these modules once per worker thread, before any workflow run exists, and every
// run shares them frozen. A module among them (or imported by them) that imported the SDK's workflow API would be
// evaluated outside any run; a package that keeps state per caller would leak it from one ticket to the next. The
// packages they reach are therefore the ones judged safe to share, and no other.
const root = resolve(__dirname, '../..');
const SHARED_PACKAGES = ['@sinclair/typebox', 'luxon'];

test('the preloaded workflow modules import no workflow API and only packages safe to share', () => {
  const { packages } = modulesReachedFrom(PRELOADED_WORKFLOW_MODULES);
  const unexpected = [...packages]
    .filter(([name]) => !SHARED_PACKAGES.includes(name))
    .map(([name, file]) => `${name} (imported by ${relative(root, file)})`);
  expect(unexpected).toEqual([]);
});
