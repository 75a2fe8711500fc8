import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface S3Local {
  endpoint: string;
  bucket: string;
  stop(): Promise<void>;
}

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
export async function startS3Local(options: { port: number; bucket: string }): Promise<S3Local> {
  const directory = await mkdtemp(join(tmpdir(), 'chat-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port,
    silent: true,
    directory,
    configureBuckets: [{ name: options.bucket, configs: [CORS] }],
  });
  const http = (await server.run()) as Server;
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: options.bucket,
    async stop() {
      await server.close().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
