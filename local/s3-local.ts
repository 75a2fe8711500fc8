import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface S3Local {
  endpoint: string;
  bucket: string;
  stop(): Promise<void>;
}

/** What the offline stack gives its handlers (local/stack.ts offlineEnvironment). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Browsers post attachments straight to the bucket from the web app's origin. */
const CORS = `<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader><MaxAgeSeconds>3600</MaxAgeSeconds></CORSRule></CORSConfiguration>`;

/**
 * The attachments bucket offline: s3rver, a pure-JavaScript S3-compatible server (docs/decisions/0024), on
 * 127.0.0.1 with its files in a temporary folder removed on stop. The handlers use the real AWS SDK against
 * it (presigned POST, HeadObject, GetObject).
 *
 * Unlike S3, s3rver does not check a POST's policy (size range, content type, expiry): the `sendMessage`
 * checks (size, signature bytes) hold either way, and the integration tests say which side refused.
 */
export async function startS3Local(options: {
  port: number;
  bucket: string;
  /** The offline stack's dummy credentials: s3rver checks every SigV4 signature against them. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}): Promise<S3Local> {
  const { accessKeyId, secretAccessKey } = options.credentials ?? LOCAL_CREDENTIALS;
  // s3rver knows one built-in account; the stack's key pair is added to it so signatures are really checked.
  const account = createRequire(import.meta.url)('s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
  };
  account.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
  const directory = await mkdtemp(join(tmpdir(), 'chat-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory,
    configureBuckets: [{ name: options.bucket, configs: [CORS] }],
  });
  const { port } = await server.run().catch(async (error: unknown) => {
    await rm(directory, { recursive: true, force: true });
    throw error;
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: options.bucket,
    async stop() {
      await server.close().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
