import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { build } from 'vite';
import type { DeployedStack } from './stack-outputs.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Builds the web app against the deployed API and sign-in, uploads it to the stack's bucket and refreshes
 * CloudFront. Hashed assets are cached for a year; index.html is always revalidated. `socketUrls` is set
 * when the chat runs in several regions (`VITE_CHAT_WS_URLS`): the app picks the nearest and fails over.
 */
export async function publishWeb(
  root: string,
  stack: DeployedStack,
  region: string,
  socketUrls?: string,
): Promise<void> {
  Object.assign(process.env, {
    VITE_CHAT_WS_URL: stack.webSocketUrl,
    ...(socketUrls ? { VITE_CHAT_WS_URLS: socketUrls } : {}),
    VITE_AUTH_MODE: 'cognito',
    VITE_COGNITO_DOMAIN: stack.authDomain,
    VITE_COGNITO_CLIENT_ID: stack.userPoolClientId,
    VITE_UPLOADS_URL: stack.uploadsUrl,
  });
  await build({ configFile: join(root, 'web', 'vite.config.ts'), mode: 'production', logLevel: 'warn' });

  const dist = join(root, 'web', 'dist');
  const s3 = new S3Client({ region });
  const files = (await readdir(dist, { recursive: true, withFileTypes: true })).filter((entry) =>
    entry.isFile(),
  );
  for (const file of files) {
    const path = join(file.parentPath, file.name);
    const key = relative(dist, path).split(sep).join('/');
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.webBucketName,
        Key: key,
        Body: await readFile(path),
        ContentType: CONTENT_TYPES[extname(key)] ?? 'application/octet-stream',
        CacheControl: key === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
      }),
    );
  }
  await new CloudFrontClient({ region }).send(
    new CreateInvalidationCommand({
      DistributionId: stack.webDistributionId,
      InvalidationBatch: {
        CallerReference: `deploy-${Date.now()}`,
        Paths: { Quantity: 1, Items: ['/index.html'] },
      },
    }),
  );
}
