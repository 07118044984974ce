import { configFromEnv } from '../../infra/config';

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
