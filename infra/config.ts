import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { DEFAULT_BUSY_BOUNDS, TEMPORAL_DEADLINE_MS, type BusyBounds } from '../api/busy-bounds';
import { DeskRolesError, parseDeskRoles, type DeskRoles } from '../mail/desk-roles';
import type { Seller } from '../domain/invoicing/parties';
import { activityPoolSizes, DEFAULT_WORKER_TUNING, type WorkerTuning } from '../worker/tuning';
import { WORKFLOW_STACK_TRACES_VARIABLE, workflowStackTracesSetting } from '../worker/workflow-stack-traces';
import { SellerConfigError, sellerFromEnv } from './seller';

/** Settings of the long-running processes, read once from the environment with clear errors. */
export interface VigilConfig {
  /** TEMPORAL_*: the server and namespace, and Temporal Cloud's credentials (temporalSettingsFromEnv below). */
  temporal: TemporalSettings;
  databaseUrl: string;
  /** The interface the API listens on: loopback unless HOST widens it (0.0.0.0 in a container), so a dev API is not on the network. */
  apiHost: string;
  apiPort: number;
  logLevel: string;
  /**
   * VIGIL_TRUST_PROXY: the load balancers whose X-Forwarded-For the API believes (Fastify's trustProxy), so that the
   * rate limit counts callers without a key by their own address and `secure: 'auto'` cookies see https; none when
   * unset, the socket's address being the caller's.
   */
  trustProxy?: string;
  /** Requests per minute one API key may make to the API. */
  rateLimitPerMinute: number;
  /** host:port where the worker serves its Temporal SDK metrics for Prometheus; unset, it serves none. */
  workerMetricsAddress?: string;
  /** Where the API fetches the worker's metrics to append them to its own /metrics. */
  workerMetricsUrl?: string;
  /** VIGIL_BUSY_*: how far behind the workers may fall before the API refuses new tickets as busy (api/back-pressure.ts). */
  busyBounds: BusyBounds;
  /** SMTP_URL: where the worker's outbox dispatcher (mail/dispatcher.ts) delivers notices; unset, they stay queued. */
  smtpUrl?: string;
  /** VIGIL_MAIL_FROM: the From of every notice; its domain names the Message-IDs. */
  mailFrom: string;
  /** VIGIL_DESK_ROLES: the desk's addresses per escalation level (mail/desk-roles.ts); read here so a typo stops the start. */
  deskRoles: DeskRoles;
  /** WEBHOOK_CA_FILE: PEM certificates the webhook dispatcher trusts besides the system's (a desk's own PKI). */
  webhookCaFile?: string;
  /** VIGIL_SELLER_*: the desk's identity on its invoices (infra/seller.ts); read here so a wrong value stops the start. */
  seller: Seller;
  /** VIGIL_WORKER_*, VIGIL_NOTICE_*, VIGIL_READ_MODEL_*: the worker's pollers, slots, cache and pool (worker/tuning.ts). */
  workerTuning: WorkerTuning;
  /**
   * VIGIL_WORKFLOW_STACK_TRACES (`on` | `off`): false, the worker's workflows keep no stack trace of their promises
   * (worker/workflow-stack-traces.ts), which worker/main.ts refuses unless node was given the preload that does it.
   */
  workflowStackTraces: boolean;
}

export class ConfigError extends Error {}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535)
    throw new ConfigError(`${name} must be a TCP port, got '${value}'`);
  return parsed;
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new ConfigError(`${name} must be a positive integer, got '${value}'`);
  return parsed;
}

function bindAddress(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const match = /^(?:\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d+)$/.exec(value);
  if (!match) throw new ConfigError(`${name} must be host:port (e.g. 127.0.0.1:9464), got '${value}'`);
  port(name, match[1], 0);
  return value;
}

function httpUrl(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new ConfigError(`${name} must be an http(s) URL, got '${value}'`);
  return value;
}

function deskRoles(value: string | undefined): DeskRoles {
  try {
    return parseDeskRoles(value);
  } catch (error) {
    throw error instanceof DeskRolesError ? new ConfigError(error.message) : error;
  }
}

function seller(env: NodeJS.ProcessEnv): Seller {
  try {
    return sellerFromEnv(env);
  } catch (error) {
    throw error instanceof SellerConfigError ? new ConfigError(error.message) : error;
  }
}

/** The environment variable of each setting of worker/tuning.ts. */
export const WORKER_TUNING_VARIABLES: Record<keyof WorkerTuning, string> = {
  workflowPollers: 'VIGIL_WORKER_WORKFLOW_POLLERS',
  workflowSlots: 'VIGIL_WORKER_WORKFLOW_SLOTS',
  cachedWorkflows: 'VIGIL_WORKER_CACHED_WORKFLOWS',
  activityPollers: 'VIGIL_WORKER_ACTIVITY_POLLERS',
  activitySlots: 'VIGIL_WORKER_ACTIVITY_SLOTS',
  noticePollers: 'VIGIL_NOTICE_POLLERS',
  noticeSlots: 'VIGIL_NOTICE_SLOTS',
  readModelPollers: 'VIGIL_READ_MODEL_POLLERS',
  readModelSlots: 'VIGIL_READ_MODEL_SLOTS',
  dbPoolSize: 'VIGIL_WORKER_DB_POOL_SIZE',
  dbConnectTimeoutMs: 'VIGIL_WORKER_DB_CONNECT_TIMEOUT_MS',
};

function workerTuning(env: NodeJS.ProcessEnv): WorkerTuning {
  const tuning = { ...DEFAULT_WORKER_TUNING };
  for (const [key, name] of Object.entries(WORKER_TUNING_VARIABLES) as Array<[keyof WorkerTuning, string]>) {
    tuning[key] = positiveInteger(name, env[name], DEFAULT_WORKER_TUNING[key]);
  }
  // The SDK holds every workflow task it runs in its cache: more slots than cached tickets it would cut down itself.
  if (tuning.workflowSlots > tuning.cachedWorkflows) {
    throw new ConfigError(
      `VIGIL_WORKER_WORKFLOW_SLOTS (${tuning.workflowSlots}) must not exceed VIGIL_WORKER_CACHED_WORKFLOWS (${tuning.cachedWorkflows}): a workflow task runs on a cached ticket`,
    );
  }
  // The notices' connections are taken from the pool (worker/tuning.ts): the other activities need at least one left.
  if (activityPoolSizes(tuning).shared < 1) {
    throw new ConfigError(
      `VIGIL_WORKER_DB_POOL_SIZE (${tuning.dbPoolSize}) must exceed VIGIL_NOTICE_SLOTS (${tuning.noticeSlots}): each notice slot has a connection of its own from it, and the other activities share the rest`,
    );
  }
  return tuning;
}

function workflowStackTraces(env: NodeJS.ProcessEnv): boolean {
  const value = env[WORKFLOW_STACK_TRACES_VARIABLE];
  const setting = workflowStackTracesSetting(value);
  if (!setting) throw new ConfigError(`${WORKFLOW_STACK_TRACES_VARIABLE} must be on or off, got '${value}'`);
  return setting === 'on';
}

function smtpUrl(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (!URL.canParse(value) || !/^smtps?:$/.test(new URL(value).protocol))
    throw new ConfigError(`${name} must be an smtp:// or smtps:// URL, got '${value}'`);
  return value;
}

/**
 * VIGIL_BUSY_*: how far behind the workers may fall before the API refuses new tickets (api/back-pressure.ts). Read
 * alone too, so that a test stack's API takes its bounds from the same variables as the API process; the age bound is
 * held below the Temporal deadline by configFromEnv (busyBounds), a test stack's API having a deadline of its own.
 */
export function busyBoundsFromEnv(env: NodeJS.ProcessEnv = process.env): BusyBounds {
  return {
    maxTasks: positiveInteger('VIGIL_BUSY_MAX_BACKLOG', env.VIGIL_BUSY_MAX_BACKLOG, DEFAULT_BUSY_BOUNDS.maxTasks),
    maxAgeSeconds: positiveInteger(
      'VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS',
      env.VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS,
      DEFAULT_BUSY_BOUNDS.maxAgeSeconds,
    ),
    probeIntervalMs: positiveInteger(
      'VIGIL_BUSY_PROBE_INTERVAL_MS',
      env.VIGIL_BUSY_PROBE_INTERVAL_MS,
      DEFAULT_BUSY_BOUNDS.probeIntervalMs,
    ),
  };
}

/**
 * The API process's bounds: an opening that waits past the Temporal deadline is cut by it and answered as a timeout,
 * so the age bound must be shorter for the API to refuse openings as busy first.
 */
function busyBounds(env: NodeJS.ProcessEnv): BusyBounds {
  const bounds = busyBoundsFromEnv(env);
  const deadlineSeconds = TEMPORAL_DEADLINE_MS / 1000;
  if (bounds.maxAgeSeconds >= deadlineSeconds) {
    throw new ConfigError(
      `VIGIL_BUSY_MAX_BACKLOG_AGE_SECONDS (${bounds.maxAgeSeconds}) must be below ${deadlineSeconds}, the API's Temporal deadline in seconds: openings waiting longer would time out instead of being refused as busy`,
    );
  }
  return bounds;
}

/**
 * How Vigil's processes reach Temporal (infra/temporal-connection.ts connects them): a server of their own by address,
 * or Temporal Cloud, or any server behind TLS, with an API key or a client certificate. The variables are the Temporal
 * CLI's own, so that one environment serves Vigil and `temporal` commands alike.
 */
export interface TemporalSettings {
  address: string;
  namespace: string;
  /** false: plain gRPC, a local server. Otherwise TLS, with the server's CA and name when they are not the system's, and the client certificate of mTLS. */
  tls: false | { serverCa?: Buffer; serverName?: string; clientCert?: { crt: Buffer; key: Buffer } };
  apiKey?: string;
}

function trueOrFalse(name: string, value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ConfigError(`${name} must be true or false, got '${value}'`);
}

/** A PEM file a variable names, read at start: a wrong path or a file of another kind stops the process, naming the variable. */
function pemFile(
  name: string,
  file: string,
  what: 'certificate' | 'private key',
  readFile: (path: string) => Buffer,
): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFile(file);
  } catch (error) {
    throw new ConfigError(`${name} names ${file}, which cannot be read (${(error as Error).message})`);
  }
  const marker = what === 'certificate' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/;
  if (!marker.test(bytes.toString('latin1')))
    throw new ConfigError(`${name} names ${file}, which holds no PEM ${what}`);
  return bytes;
}

/**
 * TEMPORAL_ADDRESS and TEMPORAL_NAMESPACE, and for Temporal Cloud either TEMPORAL_API_KEY or the client certificate
 * TEMPORAL_TLS_CLIENT_CERT_PATH with its key TEMPORAL_TLS_CLIENT_KEY_PATH (mTLS); TEMPORAL_TLS_SERVER_CA_CERT_PATH
 * and TEMPORAL_TLS_SERVER_NAME for a server whose certificate the system does not trust, TEMPORAL_TLS to force TLS
 * on or off. Without credentials the defaults are a local server (localhost:7233, `default`); with them nothing is
 * guessed: a process that would otherwise try its key on the wrong server, or a namespace Temporal Cloud does not
 * have, stops at start with the variable to set.
 */
export function temporalSettingsFromEnv(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => Buffer = readFileSync,
): TemporalSettings {
  const apiKey = env.TEMPORAL_API_KEY || undefined;
  const certPath = env.TEMPORAL_TLS_CLIENT_CERT_PATH || undefined;
  const keyPath = env.TEMPORAL_TLS_CLIENT_KEY_PATH || undefined;
  const caPath = env.TEMPORAL_TLS_SERVER_CA_CERT_PATH || undefined;
  const serverName = env.TEMPORAL_TLS_SERVER_NAME || undefined;
  const tlsFlag = trueOrFalse('TEMPORAL_TLS', env.TEMPORAL_TLS);
  if (apiKey && (certPath || keyPath)) {
    throw new ConfigError(
      `TEMPORAL_API_KEY and ${certPath ? 'TEMPORAL_TLS_CLIENT_CERT_PATH' : 'TEMPORAL_TLS_CLIENT_KEY_PATH'} are both set: a connection authenticates with an API key or with a client certificate (mTLS), not both; unset one`,
    );
  }
  if (certPath && !keyPath)
    throw new ConfigError(
      'TEMPORAL_TLS_CLIENT_CERT_PATH is set without TEMPORAL_TLS_CLIENT_KEY_PATH: a client certificate needs its private key',
    );
  if (keyPath && !certPath)
    throw new ConfigError(
      'TEMPORAL_TLS_CLIENT_KEY_PATH is set without TEMPORAL_TLS_CLIENT_CERT_PATH: a private key needs its client certificate',
    );
  const credential = apiKey ? 'TEMPORAL_API_KEY' : certPath ? 'TEMPORAL_TLS_CLIENT_CERT_PATH' : undefined;
  const tlsSetting =
    credential ?? (caPath ? 'TEMPORAL_TLS_SERVER_CA_CERT_PATH' : serverName ? 'TEMPORAL_TLS_SERVER_NAME' : undefined);
  if (tlsFlag === false && tlsSetting) {
    throw new ConfigError(
      `TEMPORAL_TLS is false but ${tlsSetting} is set: ${credential ? 'credentials are sent over TLS only' : 'it configures TLS'}; remove TEMPORAL_TLS=false or ${tlsSetting}`,
    );
  }
  if (credential && !env.TEMPORAL_ADDRESS) {
    throw new ConfigError(
      `TEMPORAL_ADDRESS is not set: with ${credential} Vigil connects to Temporal Cloud or a secured server, whose endpoint it does not guess (Temporal Cloud: <namespace>.<account>.tmprl.cloud:7233, or the region's endpoint such as us-east-1.aws.api.temporal.io:7233 with an API key)`,
    );
  }
  if (credential && !env.TEMPORAL_NAMESPACE) {
    throw new ConfigError(
      `TEMPORAL_NAMESPACE is not set: with ${credential} Vigil does not fall back to 'default', which Temporal Cloud has not (its namespaces are named <namespace>.<account>)`,
    );
  }
  const address = env.TEMPORAL_ADDRESS || 'localhost:7233';
  const namespace = env.TEMPORAL_NAMESPACE || 'default';
  // A namespace endpoint of Temporal Cloud serves that namespace alone: any other is refused at the first call.
  const cloudNamespace = /^(.+)\.tmprl\.cloud(?::\d+)?$/.exec(address)?.[1];
  if (cloudNamespace && cloudNamespace !== namespace) {
    throw new ConfigError(
      `TEMPORAL_ADDRESS ${address} is the endpoint of the namespace ${cloudNamespace}, but TEMPORAL_NAMESPACE is ${namespace}`,
    );
  }
  if (!(tlsFlag ?? (tlsSetting !== undefined || cloudNamespace !== undefined)))
    return { address, namespace, tls: false };
  return {
    address,
    namespace,
    tls: {
      ...(caPath ? { serverCa: pemFile('TEMPORAL_TLS_SERVER_CA_CERT_PATH', caPath, 'certificate', readFile) } : {}),
      ...(serverName ? { serverName } : {}),
      ...(certPath && keyPath
        ? {
            clientCert: {
              crt: pemFile('TEMPORAL_TLS_CLIENT_CERT_PATH', certPath, 'certificate', readFile),
              key: pemFile('TEMPORAL_TLS_CLIENT_KEY_PATH', keyPath, 'private key', readFile),
            },
          }
        : {}),
    },
    ...(apiKey ? { apiKey } : {}),
  };
}

/** Addresses, CIDR ranges or proxy-addr's names (loopback, linklocal, uniquelocal), comma-separated. */
function trustedProxies(name: string, value: string | undefined): string | undefined {
  if (!value) return undefined;
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const version = isIP(address);
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (version === 6 ? 128 : 32));
    if (!['loopback', 'linklocal', 'uniquelocal'].includes(entry) && !(version && prefixOk)) {
      throw new ConfigError(
        `${name} must be addresses, CIDR ranges or loopback, linklocal, uniquelocal, comma-separated, got '${entry}'`,
      );
    }
  }
  return entries.join(',');
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): VigilConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new ConfigError('DATABASE_URL is not set (npm run dev sets it for you)');
  return {
    temporal: temporalSettingsFromEnv(env),
    databaseUrl,
    apiHost: env.HOST || '127.0.0.1',
    apiPort: port('PORT', env.PORT, 3000),
    logLevel: env.LOG_LEVEL || 'info',
    ...(env.VIGIL_TRUST_PROXY ? { trustProxy: trustedProxies('VIGIL_TRUST_PROXY', env.VIGIL_TRUST_PROXY) } : {}),
    rateLimitPerMinute: positiveInteger('VIGIL_RATE_LIMIT_PER_MINUTE', env.VIGIL_RATE_LIMIT_PER_MINUTE, 600),
    workerMetricsAddress: bindAddress('VIGIL_WORKER_METRICS_ADDRESS', env.VIGIL_WORKER_METRICS_ADDRESS),
    workerMetricsUrl: httpUrl('VIGIL_WORKER_METRICS_URL', env.VIGIL_WORKER_METRICS_URL),
    busyBounds: busyBounds(env),
    smtpUrl: smtpUrl('SMTP_URL', env.SMTP_URL),
    mailFrom: env.VIGIL_MAIL_FROM || 'Vigil support desk <support@vigil.localhost>',
    deskRoles: deskRoles(env.VIGIL_DESK_ROLES),
    ...(env.WEBHOOK_CA_FILE ? { webhookCaFile: env.WEBHOOK_CA_FILE } : {}),
    seller: seller(env),
    workerTuning: workerTuning(env),
    workflowStackTraces: workflowStackTraces(env),
  };
}

/** Settings of the inbound mail process (mail/inbound/main.ts), read apart so the API and the worker need none of them. */
export interface InboundConfig {
  databaseUrl: string;
  /** INBOUND_SMTP_HOST / INBOUND_SMTP_PORT: where the SMTP listener takes the desk's mail (loopback, 2525 by default). */
  smtpHost: string;
  smtpPort: number;
  /** VIGIL_SUPPORT_ADDRESS: opens tickets (several, comma-separated); the address of VIGIL_MAIL_FROM by default. */
  supportAddresses: string[];
  /** VIGIL_EMERGENCY_ADDRESS: opens emergencies (e-connect's urgence@); none by default. */
  emergencyAddresses: string[];
  /** INBOUND_MAX_BYTES: the largest mail taken, attachments included (10 MiB by default). */
  maxBytes: number;
  /** VIGIL_API_URL and VIGIL_INBOUND_API_KEY: the API's /v1 and the desk key tickets are opened and replied with. */
  apiUrl: string;
  apiToken: string;
  /** IMAP_URL: imap(s)://user:password@host:port/Mailbox, polled every IMAP_POLL_MS when set. */
  imapUrl?: string;
  imapPollMs: number;
  mailFrom: string;
}

function addressList(name: string, value: string | undefined): string[] {
  const addresses = (value ?? '')
    .split(',')
    .map((address) => address.trim().toLowerCase())
    .filter(Boolean);
  for (const address of addresses)
    if (!/^[^\s@<>,;"]+@[^\s@<>,;"]+$/.test(address))
      throw new ConfigError(`${name} must be e-mail addresses separated by commas, got '${address}'`);
  return addresses;
}

export function inboundConfigFromEnv(env: NodeJS.ProcessEnv = process.env): InboundConfig {
  const base = configFromEnv(env);
  const apiToken = env.VIGIL_INBOUND_API_KEY;
  if (!apiToken)
    throw new ConfigError(
      'VIGIL_INBOUND_API_KEY is not set: the inbound process opens tickets through the API with an agent key made with --mail-relay (npm run dev makes one)',
    );
  const imapUrl = env.IMAP_URL || undefined;
  if (imapUrl && (!URL.canParse(imapUrl) || !/^imaps?:$/.test(new URL(imapUrl).protocol)))
    throw new ConfigError(`IMAP_URL must be an imap:// or imaps:// URL, got '${imapUrl}'`);
  const fromAddress = /<([^>]+)>/.exec(base.mailFrom)?.[1] ?? base.mailFrom;
  return {
    databaseUrl: base.databaseUrl,
    smtpHost: env.INBOUND_SMTP_HOST || '127.0.0.1',
    smtpPort: port('INBOUND_SMTP_PORT', env.INBOUND_SMTP_PORT, 2525),
    supportAddresses: addressList('VIGIL_SUPPORT_ADDRESS', env.VIGIL_SUPPORT_ADDRESS || fromAddress),
    emergencyAddresses: addressList('VIGIL_EMERGENCY_ADDRESS', env.VIGIL_EMERGENCY_ADDRESS),
    maxBytes: positiveInteger('INBOUND_MAX_BYTES', env.INBOUND_MAX_BYTES, 10 * 1024 * 1024),
    apiUrl: httpUrl('VIGIL_API_URL', env.VIGIL_API_URL) ?? `http://127.0.0.1:${base.apiPort}/v1`,
    apiToken,
    ...(imapUrl ? { imapUrl } : {}),
    imapPollMs: positiveInteger('IMAP_POLL_MS', env.IMAP_POLL_MS, 30_000),
    mailFrom: base.mailFrom,
  };
}
