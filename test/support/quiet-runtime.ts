import { DefaultLogger, Runtime } from '@temporalio/worker';

// Workers log every state change at INFO; tests only need to hear about problems.
Runtime.install({ logger: new DefaultLogger('WARN') });
