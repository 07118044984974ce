/**
 * The workflows' code as every worker of Vigil bundles it: the worker process (worker/create-worker.ts), the
 * end-to-end stacks' shared bundle (test/e2e/global-setup.ts), the workflow tests' harness and the replay tests, so
 * that what is replayed is what runs.
 *
 * The SDK runs every workflow in one V8 context per thread and, to keep each run's module state its own, evaluates
 * the bundle's modules afresh for each new run: a ticket paid for building every action's TypeBox schema
 * (messages/ticket-actions.ts and TypeBox's own modules) and loading luxon (for the invoicing workflow) once per
 * lifecycle, 7.6% of its workflow thread's time (docs/benchmarks.md, the lifecycle bench). The modules preloaded
 * below are evaluated once per thread instead and shared, frozen by the SDK, by every run, with the modules they
 * import. Only modules that hold no state of a run belong here: constant tables and schemas, and libraries whose
 * caches give every run the same answer. A module that needs a run (anything importing @temporalio/workflow) must
 * not, since it would be evaluated before any exists. They are named by their importers here, not as packages: the
 * bundler drops a bare require of a package that declares itself free of side effects, as TypeBox and luxon do.
 */
export const WORKFLOWS_PATH = require.resolve('../workflows');

export const PRELOADED_WORKFLOW_MODULES: string[] = [
  // Every action's command schema, and TypeBox's modules with it; the Update validators' check against them.
  require.resolve('../messages/ticket-actions'),
  require.resolve('../domain/ticket/commands'),
  // luxon, for the invoicing workflow's periods: evaluated for every ticket too, since both share one bundle.
  require.resolve('../messages/invoice-period'),
  // The ticket's rules, which workflows/ticket.ts calls, and the pure domain modules they import, else evaluated again
  // for each new run: plain functions and constant tables, linked to messages/ticket.ts (which imports the workflow
  // API) by its types alone, which the bundle erases (test/repository/preloaded-workflow-modules.test.ts).
  require.resolve('../domain/ticket/decide'),
  require.resolve('../domain/ticket/evolve'),
  require.resolve('../domain/ticket/steps'),
];

/** For Worker.create and Worker.runReplayHistory. */
export const WORKFLOW_CODE = {
  workflowsPath: WORKFLOWS_PATH,
  bundlerOptions: { preloadModules: PRELOADED_WORKFLOW_MODULES },
};

/** For bundleWorkflowCode, which takes the same options at its top level. */
export const WORKFLOW_BUNDLE_OPTIONS = { workflowsPath: WORKFLOWS_PATH, preloadModules: PRELOADED_WORKFLOW_MODULES };
