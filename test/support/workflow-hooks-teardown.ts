import { removeWorkflowHooks } from './workflow-hooks';

// Set up for the `temporal` and `e2e` projects by jest.config.js; test/support/workflow-hooks.ts says why.
afterAll(removeWorkflowHooks);
