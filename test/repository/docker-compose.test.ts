import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { Pool, type PoolConfig } from 'pg';
import YAML from 'yaml';
import { apiPoolConfig } from '../../api/dependency-clients';
import { configFromEnv, inboundConfigFromEnv } from '../../infra/config';
import { toolPaths } from '../../scripts/tool-paths';
import { workerConnections } from '../../worker/activity-pools';
import { WORKFLOW_STACK_TRACES_PRELOAD, workerNodeArguments } from '../../worker/workflow-stack-traces';
import { modulesReachedFrom } from '../support/source-imports';

// docker-compose.yml is never run by this project (its machines have no Docker engine): these checks are what stands
// between it and a user's first `docker compose up`. They read files only.
const root = resolve(__dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string | number | boolean | null>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string | string[] };
  restart?: string;
  depends_on?: Record<string, { condition: string }>;
}
// Parsed as Docker Compose reads it: YAML 1.2 with merge keys (`<<: *vigil`), which the file uses for what its
// services share.
const compose = YAML.parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = Object.entries(compose.services);
const pkg = JSON.parse(read('package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

/** The TypeScript entry a Vigil service runs (`node --import tsx worker/main.ts`, or inside a `sh -c` line). */
const entryOf = (service: Service) => /[\w/-]+\.ts\b/.exec([service.command ?? []].flat().join(' '))?.[0];
const vigilServices = services.filter(([, service]) => service.build !== undefined);
const servicesRunning = (entry: string) =>
  vigilServices.filter(([, service]) => entryOf(service) === entry).map(([name]) => name);
/**
 * A value as Docker Compose passes it when the shell sets none of the variables it names: `${NAME:-default}` is the
 * default, `${NAME}` empty (which Vigil's configuration reads as unset), `$$` a `$`.
 */
const interpolated = (value: string) =>
  value.replace(/\$\$|\$\{[A-Z0-9_]+(?::?-([^}]*))?\}/g, (match, fallback?: string) =>
    match === '$$' ? '$' : (fallback ?? ''),
  );
/** A service's environment as its process sees it when the shell sets none of the variables it names. */
const envOf = (service: Service) =>
  Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([key, value]) => [key, interpolated(String(value ?? ''))]),
  );
const imageOf = (service: Service) => {
  const [name = '', tag = ''] = (service.image ?? '').split(':');
  return { name, tag };
};

describe('docker-compose.yml against the Compose specification', () => {
  // infra/compose/compose-spec.json, vendored (infra/compose/README.md says from where): no network at test time. The
  // schema writes union types and `required` lists that ajv's strict mode would refuse as a schema author's slips.
  const validate = new Ajv2020({
    allErrors: true,
    strictTypes: false,
    strictRequired: false,
    allowUnionTypes: true,
  }).compile(JSON.parse(read('infra/compose/compose-spec.json')) as object);
  const errorsOf = (document: unknown) =>
    validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);

  it('is valid', () => {
    expect(errorsOf(compose)).toEqual([]);
  });

  it('would catch a misspelt key or a wrong type, so that its passing means something', () => {
    const api = compose.services['api-1']!;
    expect(errorsOf({ services: { api: { ...api, enviroment: api.environment } } })).toContain(
      '/services/api must NOT have unevaluated properties',
    );
    expect(errorsOf({ services: { api: { ...api, restart: 5 } } })).toContain('/services/api/restart must be string');
  });
});

describe("the variables set on docker-compose.yml's services", () => {
  /** The environment variables a file reads: `env.NAME`, `process.env.NAME`, `env['NAME']`. */
  const readsOf = (text: string) =>
    [...text.matchAll(/\benv(?:\.|\[['"])([A-Z][A-Z0-9_]*)\b/g)].map((match) => match[1]!);

  /** Every variable read by the files a process loads, from its entry through every relative import. */
  const readByProcess = (entry: string) =>
    new Set([...modulesReachedFrom([join(root, entry)]).files].flatMap((file) => readsOf(readFileSync(file, 'utf8'))));

  /** Variables of the third-party images, from each image's documentation (temporalio/ui: its config/docker.yaml). */
  const imageVariables: Record<string, string[]> = {
    postgres: ['POSTGRES_USER', 'POSTGRES_PASSWORD', 'POSTGRES_DB'],
    'temporalio/ui': [
      'TEMPORAL_ADDRESS',
      'TEMPORAL_UI_PORT',
      'TEMPORAL_CORS_ORIGINS',
      'TEMPORAL_NOTIFY_ON_NEW_VERSION',
    ],
  };

  /** What the Temporal containers read of their variables: the files mounted from infra/temporal/ (`env "NAME"` in the server's templates, `$NAME` in the schema script). */
  const temporalFiles = readdirSync(join(root, 'infra/temporal')).map((name) => read(`infra/temporal/${name}`));
  const readByTemporal = (name: string) =>
    temporalFiles.some((text) => text.includes(`env "${name}"`) || new RegExp(`\\$\\{?${name}\\b`).test(text));

  it.each(services.filter(([, service]) => service.environment).map(([name, service]) => [name, service] as const))(
    '%s sets only variables that are read',
    (name, service) => {
      const names = Object.keys(service.environment!);
      const entry = entryOf(service);
      let unread: string[];
      if (service.build !== undefined) {
        expect(entry).toBeDefined();
        const read = readByProcess(entry!);
        unread = names.filter((variable) => !read.has(variable));
      } else if (service.volumes?.some((volume) => volume.startsWith('./infra/temporal:'))) {
        unread = names.filter((variable) => !readByTemporal(variable));
      } else {
        const known = imageVariables[imageOf(service).name];
        expect(known).toBeDefined();
        unread = names.filter((variable) => !known!.includes(variable));
      }
      expect(unread).toEqual([]);
    },
  );

  it('give each Vigil process what it cannot start without, as its own configuration reads it', () => {
    for (const [name, service] of vigilServices) {
      const env = envOf(service);
      if (entryOf(service) === 'mail/inbound/main.ts') {
        // Its key comes from the bootstrap's file, read by its command line when the variable is empty.
        expect([service.command].flat().join(' ')).toContain('VIGIL_INBOUND_API_KEY=');
        expect(() => inboundConfigFromEnv({ ...env, VIGIL_INBOUND_API_KEY: 'from-the-file' })).not.toThrow();
      } else {
        expect(() => configFromEnv(env)).not.toThrow();
      }
      expect([name, env.DATABASE_URL]).toEqual([name, expect.stringMatching(/@postgres:5432\//)]);
    }
  });
});

describe("docker-compose.yml's PostgreSQL connections", () => {
  /** A pool's size as pg makes it: `max`, or pg's default when the config sets none. Making a pool connects nothing. */
  const poolSize = (config: PoolConfig) => {
    const pool = new Pool(config);
    void pool.end();
    return pool.options.max;
  };
  const url = 'postgres://vigil@postgres:5432/vigil';
  /** What each Vigil process may hold at once, from the environment the compose file gives it. */
  const connectionsOf: Record<string, (env: Record<string, string>) => number> = {
    'worker/main.ts': (env) => workerConnections(configFromEnv(env).workerTuning),
    'api/server.ts': () => poolSize(apiPoolConfig(url)),
    // mail/inbound/main.ts's pool sets no size.
    'mail/inbound/main.ts': () => poolSize({ connectionString: url }),
    // Done, its connections closed, before any other Vigil process starts (their depends_on, checked below).
    'scripts/compose-bootstrap.ts': () => 0,
  };
  /** Each Vigil service and what it may hold; a process not in connectionsOf counts as undefined, failing the sum. */
  const held = () =>
    vigilServices.map(([name, service]) => [name, connectionsOf[entryOf(service)!]?.(envOf(service))] as const);
  /** The postgres service's `-c max_connections=N`, else PostgreSQL's default. */
  const maxConnections = () => {
    const setting = /max_connections=(\d+)/.exec([compose.services.postgres?.command ?? []].flat().join(' '));
    return setting ? Number(setting[1]) : 100;
  };

  it('counts every Vigil process', () => {
    expect(held().filter(([, connections]) => connections === undefined)).toEqual([]);
  });

  it('fit within what PostgreSQL is started to accept', () => {
    const total = held().reduce((sum, [, connections]) => sum + (connections ?? Infinity), 0);
    expect({ total, fits: total <= maxConnections() }).toEqual({ total, fits: true });
  });
});

describe('the processes docker-compose.yml runs', () => {
  /**
   * package.json's script for a process, `node --import tsx api/server.ts`, gives its entry; the worker's has a preload
   * of its own after tsx's (`--import ./worker/workflow-stack-traces-preload.mjs`).
   */
  const entryOfScript = (script: string) =>
    /^node --import tsx(?: --import \S+)* ([\w/-]+\.ts)$/.exec(pkg.scripts[script] ?? '')?.[1];

  // Each runs in the node process its npm script starts, with tsx as a loader, as its container runs it: the tsx CLI
  // (`tsx worker/main.ts`) runs it in a child of its own and SIGKILLs that child 60 ms after relaying a SIGTERM it has
  // not heard back about, so a stop that came while a loaded machine had not yet run the program killed it mid-work.
  it('run in the node process of their npm script, as their containers run them', () => {
    for (const script of ['worker', 'api', 'inbound']) {
      const entry = entryOfScript(script);
      expect([script, entry]).toEqual([script, expect.stringMatching(/\.ts$/)]);
      for (const name of servicesRunning(entry!))
        expect([name, [compose.services[name]!.command ?? []].flat().join(' ')]).toEqual([
          name,
          expect.stringContaining(pkg.scripts[script]!),
        ]);
    }
  });

  // Without it VIGIL_WORKFLOW_STACK_TRACES=off stops the worker at start (worker/main.ts); the containers run the
  // script's line (above), and scripts/dev.ts and bench/chaos/stack.ts start it with workerNodeArguments.
  it("give the worker the preload that VIGIL_WORKFLOW_STACK_TRACES=off needs, after tsx's, ", () => {
    expect(pkg.scripts.worker).toBe(`node --import tsx --import ./${WORKFLOW_STACK_TRACES_PRELOAD} worker/main.ts`);
    expect(existsSync(join(root, WORKFLOW_STACK_TRACES_PRELOAD))).toBe(true);
    expect(workerNodeArguments(root)).toEqual([
      '--import',
      'tsx',
      '--import',
      join(root, WORKFLOW_STACK_TRACES_PRELOAD),
      join(root, 'worker/main.ts'),
    ]);
  });

  it('and every other npm script that runs TypeScript, the benches and the chaos run among them, the same way', () => {
    // A bench stops the stack it started (Temporal, PostgreSQL, workers) on Ctrl-C: killed by the tsx CLI mid-stop,
    // it would leave them running.
    const throughTheCli = Object.entries(pkg.scripts).filter(([, line]) =>
      /(?<!--import )\btsx\s+\S+\.ts\b/.test(line),
    );
    expect(throughTheCli).toEqual([]);
  });

  it('are two workers, two APIs and the inbound listener, each from the entry its npm script runs', () => {
    expect(servicesRunning(entryOfScript('worker')!)).toHaveLength(2);
    expect(servicesRunning(entryOfScript('api')!)).toHaveLength(2);
    expect(servicesRunning(entryOfScript('inbound')!)).toHaveLength(1);
  });

  it('start after the one-shot bootstrap, which registers Temporal, migrates and makes the keys', () => {
    const [bootstrap] = servicesRunning('scripts/compose-bootstrap.ts');
    expect(bootstrap).toBeDefined();
    for (const [name, service] of vigilServices.filter(([name]) => name !== bootstrap)) {
      expect([name, service.depends_on?.[bootstrap!]?.condition]).toEqual([name, 'service_completed_successfully']);
    }
  });

  it('include Temporal at the version run here, its schema set by the same script, its UI, PostgreSQL and the SMTP capture', () => {
    const tools = toolPaths();
    const images = services.map(([, service]) => imageOf(service));
    const version = (v: string) => v.replace(/^v/, '');
    expect(images).toContainEqual({ name: 'temporalio/server', tag: version(tools.temporalServerVersion) });
    expect(images).toContainEqual({ name: 'temporalio/ui', tag: version(tools.temporalUiServerVersion) });
    expect(images).toContainEqual({ name: 'axllent/mailpit', tag: tools.mailpitVersion });
    const adminTools = services.find(([, service]) => imageOf(service).name === 'temporalio/admin-tools')?.[1];
    expect(imageOf(adminTools!).tag.startsWith(`${version(tools.temporalServerVersion)}-`)).toBe(true);
    expect([adminTools!.entrypoint].flat().join(' ')).toContain('setup-schema.sh');
    // Vigil's and Temporal's, apart.
    expect(images.filter(({ name }) => name === 'postgres')).toHaveLength(2);
  });

  it('wait for what they need, on services that exist', () => {
    for (const [name, service] of services) {
      for (const needed of Object.keys(service.depends_on ?? {}))
        expect([name, compose.services[needed] ? needed : undefined]).toEqual([name, needed]);
    }
  });

  it('restart on their own: the long-running ones unless stopped, the one-shots on failure', () => {
    const oneShots = ['temporal-schema', ...servicesRunning('scripts/compose-bootstrap.ts')];
    for (const [name, service] of services)
      expect([name, service.restart]).toEqual([name, oneShots.includes(name) ? 'on-failure' : 'unless-stopped']);
  });

  it('have health checks, but for the one-shots and the load balancer (which checks the APIs itself)', () => {
    const unchecked = services.filter(([, service]) => !service.healthcheck).map(([name]) => name);
    expect(unchecked.sort()).toEqual(['bootstrap', 'lb', 'temporal-schema']);
    // Vigil's own checks run scripts/health-probe.js inside the image.
    for (const [, service] of vigilServices.filter(([, service]) => service.healthcheck)) {
      expect(existsSync(join(root, [service.healthcheck!.test].flat()[2]!))).toBe(true);
    }
  });

  it('mount files that exist in the repository', () => {
    const mounted = services
      .flatMap(([, service]) => service.volumes ?? [])
      .filter((volume) => volume.startsWith('./'));
    expect(mounted.length).toBeGreaterThan(0);
    for (const volume of mounted)
      expect([volume, existsSync(join(root, volume.split(':')[0]!))]).toEqual([volume, true]);
  });

  it('are reached on the ports npm run dev uses, the API through the load balancer, which names every API instance', () => {
    const apiPort = configFromEnv({ DATABASE_URL: 'postgres://x@y/z' }).apiPort;
    const published = (name: string) => compose.services[name]?.ports ?? [];
    expect(published('lb')).toEqual([`${apiPort}:${apiPort}`]);
    const inboundPort = inboundConfigFromEnv({ DATABASE_URL: 'postgres://x@y/z', VIGIL_INBOUND_API_KEY: 'k' }).smtpPort;
    expect(published(servicesRunning('mail/inbound/main.ts')[0]!)).toEqual([`${inboundPort}:${inboundPort}`]);
    const balanced = [...read('infra/compose/haproxy.cfg').matchAll(/^\s*server (\S+) (\S+):(\d+)/gm)].map(
      (match) => `${match[2]}:${match[3]}`,
    );
    const apis = servicesRunning('api/server.ts').map((name) => `${name}:${compose.services[name]!.environment!.PORT}`);
    expect(balanced.sort()).toEqual(apis.sort());
  });
});

describe("Vigil's image", () => {
  // The Dockerfile installs production dependencies only (npm ci --omit=dev): a process importing a devDependency
  // would fail at its first start in a container, which nothing here would run. The worker also bundles workflows/.
  it('imports no devDependency from the processes it runs, and has tsx to run them', () => {
    const entries = [...new Set(vigilServices.map(([, service]) => entryOf(service)!)), 'workflows/index.ts'];
    const { files, packages } = modulesReachedFrom(entries.map((entry) => join(root, entry)));
    expect(files.size).toBeGreaterThan(100);
    expect(
      [...packages]
        .filter(([name]) => name in pkg.devDependencies)
        .map(([name, file]) => `${name} (imported by ${relative(root, file)})`),
    ).toEqual([]);
    expect(pkg.dependencies.tsx).toBeDefined();
  });

  it('leaves local data, and the keys in it, out of what it copies', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.data', 'node_modules']));
  });
});
