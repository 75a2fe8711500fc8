import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JAVA_MISSING, startDynamoDbLocal } from '../../../local/dynamodb-local.ts';
import { findFreePort } from '../../../local/processes.ts';
import { SetupError } from '../../../local/setup-error.ts';

afterEach(() => vi.unstubAllEnvs());

describe('startDynamoDbLocal, on a machine that is not ready for it', () => {
  it('says in one line, at once, that the port is taken by something that is not DynamoDB Local', async () => {
    const server = createServer((_request, response) => response.end('<html>some web app</html>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const started = Date.now();
    try {
      const error = await startDynamoDbLocal({ port }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(SetupError);
      expect((error as Error).message).toBe(
        `Port ${port} is taken by something that is not DynamoDB Local: stop it, or move DynamoDB Local with DYNAMODB_LOCAL_PORT=<port>.`,
      );
      expect((error as Error).stack?.split('\n')).toHaveLength(1);
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      server.close();
    }
  });

  it('says in one line what to install when there is no Java', async () => {
    vi.stubEnv('PATH', '/nonexistent');

    const error = await startDynamoDbLocal({ port: await findFreePort() }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).message).toBe(JAVA_MISSING);
  });
});
