import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { ROOT } from '../../local/stack.ts';

const WEB_CONFIG = join(ROOT, 'web', 'vite.config.ts');

/**
 * Builds the web app for the offline stack that global-stack.ts started (it runs first, in this process) and
 * serves the production bundle on a free 127.0.0.1 port: the end-to-end tests load what users would get.
 */
export default async function setup(project: TestProject) {
  const { websocketUrl, authUrl, webOrigin, s3 } = project.getProvidedContext().stack;
  const outDir = mkdtempSync(join(tmpdir(), 'chat-web-'));
  await buildForProduction(outDir, websocketUrl, authUrl, s3.endpoint);
  // The stack allows sign-in and WebSocket upgrades from this origin only.
  const port = Number(new URL(webOrigin).port);
  const server = await preview({
    configFile: WEB_CONFIG,
    build: { outDir },
    preview: { host: '127.0.0.1', port, strictPort: true, open: false },
    logLevel: 'warn',
  });
  project.provide('webUrl', `http://127.0.0.1:${port}/`);

  return async () => {
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  };
}

/** vitest sets NODE_ENV=test, with which Vite would bundle React's development build: not what users get. */
async function buildForProduction(outDir: string, websocketUrl: string, authUrl: string, uploadsUrl: string) {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: WEB_CONFIG,
      define: {
        'import.meta.env.VITE_CHAT_WS_URL': JSON.stringify(websocketUrl),
        // Signed in through the stack's dev issuer, as `npm run dev` does.
        'import.meta.env.VITE_AUTH_MODE': JSON.stringify('dev'),
        'import.meta.env.VITE_DEV_AUTH_URL': JSON.stringify(authUrl),
        // Attachments are posted to the stack's S3-compatible server (the CSP allows its origin).
        'import.meta.env.VITE_UPLOADS_URL': JSON.stringify(uploadsUrl),
      },
      build: { outDir, emptyOutDir: true },
      logLevel: 'warn',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
