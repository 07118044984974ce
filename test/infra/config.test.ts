import { TEMPORAL_DEADLINE_MS } from '../../api/busy-bounds';
import { ConfigError, configFromEnv, WORKER_TUNING_VARIABLES } from '../../infra/config';
import { activityPoolSizes, DEFAULT_WORKER_TUNING } from '../../worker/tuning';

describe('where the API listens', () => {
  const env = { DATABASE_URL: 'postgres://vigil:vigil@127.0.0.1:54329/vigil' };

  it('is loopback unless HOST says otherwise, so that a development API is not on the network', () => {
    expect(configFromEnv(env).apiHost).toBe('127.0.0.1');
    expect(configFromEnv({ ...env, HOST: '' }).apiHost).toBe('127.0.0.1');
  });

  it('is the interface HOST names', () => {
    expect(configFromEnv({ ...env, HOST: '0.0.0.0' }).apiHost).toBe('0.0.0.0');
    expect(configFromEnv({ ...env, HOST: '::' }).apiHost).toBe('::');
  });
});

describe('the load balancers the API believes (VIGIL_TRUST_PROXY)', () => {
  const env = { DATABASE_URL: 'postgres://vigil:vigil@127.0.0.1:54329/vigil' };

  it('are none unless named, the socket being the caller', () => {
    expect(configFromEnv(env).trustProxy).toBeUndefined();
    expect(configFromEnv({ ...env, VIGIL_TRUST_PROXY: '' }).trustProxy).toBeUndefined();
  });

  it('are addresses, CIDR ranges or the names of private, loopback and link-local ranges', () => {
    expect(configFromEnv({ ...env, VIGIL_TRUST_PROXY: 'uniquelocal' }).trustProxy).toBe('uniquelocal');
    expect(configFromEnv({ ...env, VIGIL_TRUST_PROXY: '10.0.0.5, 172.16.0.0/12,fd00::/8' }).trustProxy).toBe(
      '10.0.0.5,172.16.0.0/12,fd00::/8',
    );
  });

  it('refuse anything else at start, naming the variable, rather than trusting every forwarded address', () => {
    for (const value of ['true', '*', '10.0.0.0/33', 'lb.internal'])
      expect(() => configFromEnv({ ...env, VIGIL_TRUST_PROXY: value })).toThrow(/^VIGIL_TRUST_PROXY must be addresses/);
  });
});

describe("the worker's pollers, slots, cache and pool", () => {
  const env = { DATABASE_URL: 'postgres://vigil:vigil@127.0.0.1:54329/vigil' };

  it('are the documented defaults when nothing is set', () => {
    expect(configFromEnv(env).workerTuning).toEqual(DEFAULT_WORKER_TUNING);
  });

  it('are each read from their variable', () => {
    const values = Object.fromEntries(Object.keys(WORKER_TUNING_VARIABLES).map((key, i) => [key, 30 + i]));
    const tuning = configFromEnv({
      ...env,
      ...Object.fromEntries(Object.entries(WORKER_TUNING_VARIABLES).map(([key, name]) => [name, String(values[key])])),
    }).workerTuning;
    expect(tuning).toEqual(values);
  });

  it.each(Object.values(WORKER_TUNING_VARIABLES))(
    'refuse a %s that is not a positive whole number, naming it',
    (name) => {
      for (const bad of ['0', '-3', '2.5', 'many', '10 000']) {
        expect(() => configFromEnv({ ...env, [name]: bad })).toThrow(
          new ConfigError(`${name} must be a positive integer, got '${bad}'`),
        );
      }
    },
  );

  it('refuse more workflow slots than cached tickets, naming both variables', () => {
    expect(() =>
      configFromEnv({ ...env, VIGIL_WORKER_WORKFLOW_SLOTS: '50', VIGIL_WORKER_CACHED_WORKFLOWS: '40' }),
    ).toThrow(/VIGIL_WORKER_WORKFLOW_SLOTS \(50\) must not exceed VIGIL_WORKER_CACHED_WORKFLOWS \(40\)/);
  });

  it('refuse a pool that the notices would take whole, naming both variables', () => {
    expect(() => configFromEnv({ ...env, VIGIL_WORKER_DB_POOL_SIZE: '20', VIGIL_NOTICE_SLOTS: '20' })).toThrow(
      /VIGIL_WORKER_DB_POOL_SIZE \(20\) must exceed VIGIL_NOTICE_SLOTS \(20\)/,
    );
    expect(
      activityPoolSizes(
        configFromEnv({ ...env, VIGIL_WORKER_DB_POOL_SIZE: '21', VIGIL_NOTICE_SLOTS: '20' }).workerTuning,
      ),
    ).toEqual({ notices: 20, shared: 1 });
  });
});

describe("the worker's stack traces of workflow promises (VIGIL_WORKFLOW_STACK_TRACES)", () => {
  const env = { DATABASE_URL: 'postgres://vigil:vigil@127.0.0.1:54329/vigil' };

  it('are kept unless turned off', () => {
    expect(configFromEnv(env).workflowStackTraces).toBe(true);
    expect(configFromEnv({ ...env, VIGIL_WORKFLOW_STACK_TRACES: '' }).workflowStackTraces).toBe(true);
    expect(configFromEnv({ ...env, VIGIL_WORKFLOW_STACK_TRACES: 'on' }).workflowStackTraces).toBe(true);
    expect(configFromEnv({ ...env, VIGIL_WORKFLOW_STACK_TRACES: 'off' }).workflowStackTraces).toBe(false);
  });

  it('refuse any other value, naming the variable', () => {
    for (const bad of ['OFF', 'false', '0', 'no', ' off']) {
      expect(() => configFromEnv({ ...env, VIGIL_WORKFLOW_STACK_TRACES: bad })).toThrow(
        new ConfigError(`VIGIL_WORKFLOW_STACK_TRACES must be on or off, got '${bad}'`),
      );
    }
  });
});

describe('the age past which new tickets are refused as busy (VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS)', () => {
  const env = { DATABASE_URL: 'postgres://vigil:vigil@127.0.0.1:54329/vigil' };
  const deadlineSeconds = TEMPORAL_DEADLINE_MS / 1000;

  it("is taken below the API's Temporal deadline", () => {
    const maxAgeSeconds = deadlineSeconds - 1;
    expect(
      configFromEnv({ ...env, VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS: String(maxAgeSeconds) }).busyBounds.maxAgeSeconds,
    ).toBe(maxAgeSeconds);
  });

  it('is refused at start from the deadline up, naming the variable and the bound', () => {
    for (const seconds of [deadlineSeconds, deadlineSeconds + 1, 3600]) {
      expect(() => configFromEnv({ ...env, VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS: String(seconds) })).toThrow(
        new ConfigError(
          `VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS (${seconds}) must be below ${deadlineSeconds}, the API's Temporal deadline in seconds: openings waiting longer would time out instead of being refused as busy`,
        ),
      );
    }
  });
});
