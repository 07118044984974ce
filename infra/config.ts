/** Settings of the long-running processes, read once from the environment with clear errors. */
export interface VigilConfig {
  temporalAddress: string;
  temporalNamespace: string;
  databaseUrl: string;
  apiHost: string;
  apiPort: number;
}

export class ConfigError extends Error {}

function port(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) throw new ConfigError(`${name} must be a TCP port, got '${value}'`);
  return parsed;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): VigilConfig {
  const databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) throw new ConfigError('DATABASE_URL is not set (npm run dev sets it for you)');
  return {
    temporalAddress: env.TEMPORAL_ADDRESS || 'localhost:7233',
    temporalNamespace: env.TEMPORAL_NAMESPACE || 'default',
    databaseUrl,
    apiHost: env.HOST || '0.0.0.0',
    apiPort: port('PORT', env.PORT, 3000),
  };
}
