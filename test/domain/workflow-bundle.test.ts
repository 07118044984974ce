import { bundleWorkflowCode } from '@temporalio/worker';

jest.setTimeout(180_000);

// Workflow code runs in Temporal's webpack-bundled V8 sandbox: no Node built-ins, no fs.
// The bundler refuses any module that reaches for them, so a clean build is the proof.
test('the calendar and the preset registry bundle into workflow code', async () => {
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./fixtures/deadline-probe.workflow'),
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
  });
  expect(bundle.code).toContain('deadlineProbe');
  expect(bundle.code).toContain('mixvoip-entreprises');
});
