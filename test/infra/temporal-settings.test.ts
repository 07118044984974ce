import { ConfigError, configFromEnv, temporalSettingsFromEnv } from '../../infra/config';
import { temporalConnectionOptions } from '../../infra/temporal-connection';

// The files a variable names, as the process would read them: no disk, no server.
const files: Record<string, string> = {
  '/certs/client.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  '/certs/client.key': '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n',
  '/certs/ca.pem': '-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n',
};
const readFile = (path: string) => {
  if (!(path in files)) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
  return Buffer.from(files[path]!);
};
const settings = (env: NodeJS.ProcessEnv) => temporalSettingsFromEnv(env, readFile);
const refusal = (env: NodeJS.ProcessEnv) => {
  try {
    settings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

const cloudByKey = {
  TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233',
  TEMPORAL_NAMESPACE: 'vigil-prod.a1b2c',
  TEMPORAL_API_KEY: 'key-123',
};
const cloudByCert = {
  TEMPORAL_ADDRESS: 'vigil-prod.a1b2c.tmprl.cloud:7233',
  TEMPORAL_NAMESPACE: 'vigil-prod.a1b2c',
  TEMPORAL_TLS_CLIENT_CERT_PATH: '/certs/client.pem',
  TEMPORAL_TLS_CLIENT_KEY_PATH: '/certs/client.key',
};

describe('the Temporal a process connects to', () => {
  it('is a local server in plain gRPC when nothing is said, as npm run dev and the tests run it', () => {
    expect(settings({})).toEqual({ address: 'localhost:7233', namespace: 'default', tls: false });
    expect(temporalConnectionOptions(settings({ TEMPORAL_ADDRESS: 'temporal:7233' }))).toEqual({
      address: 'temporal:7233',
    });
  });

  it('takes empty values, which docker-compose.yml passes for variables the shell does not set, as unset', () => {
    const empty = { TEMPORAL_API_KEY: '', TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' };
    expect(settings({ ...empty, TEMPORAL_ADDRESS: 'temporal:7233' })).toEqual({
      address: 'temporal:7233',
      namespace: 'default',
      tls: false,
    });
  });

  it('is Temporal Cloud over TLS with an API key', () => {
    expect(temporalConnectionOptions(settings(cloudByKey))).toEqual({
      address: cloudByKey.TEMPORAL_ADDRESS,
      tls: {},
      apiKey: 'key-123',
    });
  });

  it('is Temporal Cloud over mTLS with the client certificate and key read at start', () => {
    expect(temporalConnectionOptions(settings(cloudByCert))).toEqual({
      address: cloudByCert.TEMPORAL_ADDRESS,
      tls: {
        clientCertPair: {
          crt: Buffer.from(files['/certs/client.pem']!),
          key: Buffer.from(files['/certs/client.key']!),
        },
      },
    });
  });

  it('is a server behind TLS with its own CA and name', () => {
    const env = {
      TEMPORAL_ADDRESS: '10.0.0.5:7233',
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/certs/ca.pem',
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    };
    expect(temporalConnectionOptions(settings(env)).tls).toEqual({
      serverRootCACertificate: Buffer.from(files['/certs/ca.pem']!),
      serverNameOverride: 'temporal.internal',
    });
    expect(
      temporalConnectionOptions(settings({ TEMPORAL_ADDRESS: 'temporal.example:7233', TEMPORAL_TLS: 'true' })).tls,
    ).toEqual({});
  });

  it('is what the worker and the API read with the rest of their configuration', () => {
    expect(configFromEnv({ DATABASE_URL: 'postgres://x@y/z', ...cloudByKey }).temporal).toEqual(settings(cloudByKey));
  });
});

describe('a Temporal configuration refused at start, naming the variable', () => {
  it('has both an API key and a client certificate', () => {
    expect(refusal({ ...cloudByCert, TEMPORAL_API_KEY: 'key-123' })).toMatch(
      /^TEMPORAL_API_KEY and TEMPORAL_TLS_CLIENT_CERT_PATH are both set/,
    );
    expect(refusal({ ...cloudByKey, TEMPORAL_TLS_CLIENT_KEY_PATH: '/certs/client.key' })).toMatch(
      /^TEMPORAL_API_KEY and TEMPORAL_TLS_CLIENT_KEY_PATH are both set/,
    );
  });

  it('has a certificate without its key, or a key without its certificate', () => {
    expect(refusal({ ...cloudByCert, TEMPORAL_TLS_CLIENT_KEY_PATH: '' })).toMatch(
      /^TEMPORAL_TLS_CLIENT_CERT_PATH is set without TEMPORAL_TLS_CLIENT_KEY_PATH/,
    );
    expect(refusal({ ...cloudByCert, TEMPORAL_TLS_CLIENT_CERT_PATH: undefined })).toMatch(
      /^TEMPORAL_TLS_CLIENT_KEY_PATH is set without TEMPORAL_TLS_CLIENT_CERT_PATH/,
    );
  });

  it('has credentials but no namespace, rather than trying `default`, which Temporal Cloud has not', () => {
    expect(refusal({ ...cloudByKey, TEMPORAL_NAMESPACE: '' })).toMatch(
      /^TEMPORAL_NAMESPACE is not set: with TEMPORAL_API_KEY/,
    );
    expect(refusal({ ...cloudByCert, TEMPORAL_NAMESPACE: undefined })).toMatch(
      /^TEMPORAL_NAMESPACE is not set: with TEMPORAL_TLS_CLIENT_CERT_PATH/,
    );
  });

  it('has credentials but no address, rather than sending them to localhost', () => {
    expect(refusal({ ...cloudByKey, TEMPORAL_ADDRESS: undefined })).toMatch(
      /^TEMPORAL_ADDRESS is not set: with TEMPORAL_API_KEY/,
    );
  });

  it("names a Temporal Cloud namespace endpoint that is another namespace's", () => {
    expect(refusal({ ...cloudByCert, TEMPORAL_NAMESPACE: 'vigil-test.a1b2c' })).toBe(
      'TEMPORAL_ADDRESS vigil-prod.a1b2c.tmprl.cloud:7233 is the endpoint of the namespace vigil-prod.a1b2c, but TEMPORAL_NAMESPACE is vigil-test.a1b2c',
    );
  });

  it('turns TLS off while sending credentials, or says neither true nor false', () => {
    expect(refusal({ ...cloudByKey, TEMPORAL_TLS: 'false' })).toMatch(
      /^TEMPORAL_TLS is false but TEMPORAL_API_KEY is set: credentials are sent over TLS only/,
    );
    expect(refusal({ TEMPORAL_TLS: 'yes' })).toBe("TEMPORAL_TLS must be true or false, got 'yes'");
  });

  it('names a file that cannot be read, or that holds something else', () => {
    expect(refusal({ ...cloudByCert, TEMPORAL_TLS_CLIENT_CERT_PATH: '/certs/missing.pem' })).toMatch(
      /^TEMPORAL_TLS_CLIENT_CERT_PATH names \/certs\/missing.pem, which cannot be read \(ENOENT/,
    );
    expect(refusal({ ...cloudByCert, TEMPORAL_TLS_CLIENT_KEY_PATH: '/certs/client.pem' })).toBe(
      'TEMPORAL_TLS_CLIENT_KEY_PATH names /certs/client.pem, which holds no PEM private key',
    );
  });

  it('stops the worker and the API, whose configuration is read once at start', () => {
    expect(() => configFromEnv({ DATABASE_URL: 'postgres://x@y/z', TEMPORAL_API_KEY: 'key-123' })).toThrow(
      /^TEMPORAL_ADDRESS is not set/,
    );
  });
});
