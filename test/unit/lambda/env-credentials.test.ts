import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../../src/lambda/env-credentials.ts';

afterEach(() => vi.unstubAllEnvs());

describe('the Lambda bundles’ credential provider', () => {
  it('reads the role credentials Lambda puts in the environment', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'token');

    expect(await defaultProvider()()).toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('fails clearly when the environment holds none', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', '');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
    await expect(defaultProvider()()).rejects.toThrow(/environment variable credentials/);
  });
});
