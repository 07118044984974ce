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
