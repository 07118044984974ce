import type { TLSConfig } from '@temporalio/client';
import type { TemporalSettings } from './config';

/** What a Temporal connection needs, in the shape both the client's Connection and the worker's NativeConnection take. */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

/**
 * The one way Vigil's processes connect to Temporal (the worker, the API through api/dependency-clients.ts, the
 * compose bootstrap): a local server in plain gRPC, or Temporal Cloud and any server behind TLS with the API key or
 * client certificate that infra/config.ts read and checked at start.
 */
export function temporalConnectionOptions({ address, tls, apiKey }: TemporalSettings): TemporalConnectionOptions {
  if (!tls) return { address };
  return {
    address,
    tls: {
      ...(tls.serverCa ? { serverRootCACertificate: tls.serverCa } : {}),
      ...(tls.serverName ? { serverNameOverride: tls.serverName } : {}),
      ...(tls.clientCert ? { clientCertPair: tls.clientCert } : {}),
    },
    ...(apiKey ? { apiKey } : {}),
  };
}
