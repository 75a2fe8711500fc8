import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { ROOT } from '../../local/stack.ts';

export const WEB_CONFIG = join(ROOT, 'web', 'vite.config.ts');

/**
 * Builds the web app for the offline stack that global-stack.ts started (it runs first, in this process) and
 * serves the production bundle on a free 127.0.0.1 port: the end-to-end tests load what users would get.
 */
export default async function setup(project: TestProject) {
  const { websocketUrl, authUrl, webOrigin, s3 } = project.getProvidedContext().stack;
  const outDir = mkdtempSync(join(tmpdir(), 'chat-web-'));
  await buildWebForProduction(outDir, {
    VITE_CHAT_WS_URL: websocketUrl,
    // Signed in through the stack's dev issuer, as `npm run dev` does.
    VITE_AUTH_MODE: 'dev',
    VITE_DEV_AUTH_URL: authUrl,
    // Attachments are posted to the stack's S3-compatible server (the CSP allows its origin).
    VITE_UPLOADS_URL: s3.endpoint,
  });
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

/**
 * The production web app, built with these `VITE_*` settings. vitest sets NODE_ENV=test, with which Vite would
 * bundle React's development build: not what users get.
 */
export async function buildWebForProduction(outDir: string, settings: Record<string, string>) {
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: WEB_CONFIG,
      define: Object.fromEntries(
        Object.entries(settings).map(([name, value]) => [`import.meta.env.${name}`, JSON.stringify(value)]),
      ),
      build: { outDir, emptyOutDir: true },
      logLevel: 'warn',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}
