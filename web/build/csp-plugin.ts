import { randomBytes } from 'node:crypto';
import type { Plugin, ResolvedConfig } from 'vite';
import { contentSecurityPolicy, originSource } from './content-security-policy.ts';

/** What `vite dev` falls back to without configuration (web/src/chat/socket-url.ts, auth/configured-sign-in.ts). */
const LOCAL_SOCKET_URL = 'ws://127.0.0.1:3001';
const LOCAL_AUTH_URL = 'http://127.0.0.1:4011';
const LOCAL_UPLOADS_URL = 'http://127.0.0.1:4012';

/**
 * Writes the Content Security Policy into index.html as a meta tag, first in <head>, so the dev server, the
 * preview server of the tests and any static host all enforce it. The connect sources come from the same
 * `VITE_*` settings the app reads. In dev, Vite tags the inline scripts and styles it injects with a nonce
 * (`html.cspNonce`), new on every start; a build has none (its scripts and styles are files).
 */
export function cspPlugin(): Plugin {
  const nonce = randomBytes(18).toString('base64');
  let policy = '';
  return {
    name: 'chat:content-security-policy',
    config: (_config, { command }) => (command === 'serve' ? { html: { cspNonce: nonce } } : undefined),
    configResolved(config) {
      policy = contentSecurityPolicy({
        connectSources: connectSourcesOf(config),
        ...(config.command === 'serve' ? { nonce } : {}),
      });
    },
    transformIndexHtml: {
      // Last, so what it prepends lands above the tags other plugins prepended (React refresh's inline script):
      // the charset first (browsers look for it in the first 1024 bytes), then the policy, then any script.
      order: 'post',
      handler: (html) => ({
        html: html.replace(/<meta charset="[^"]*"\s*\/?>\s*/i, ''),
        tags: [
          { tag: 'meta', attrs: { charset: 'UTF-8' }, injectTo: 'head-prepend' },
          {
            tag: 'meta',
            attrs: { 'http-equiv': 'Content-Security-Policy', content: policy },
            injectTo: 'head-prepend',
          },
        ],
      }),
    },
  };
}

function connectSourcesOf(config: ResolvedConfig): string[] {
  const setting = (name: string) => viteSetting(config, name);
  const dev = config.command === 'serve';
  const authMode = setting('VITE_AUTH_MODE');
  const regions = (setting('VITE_CHAT_WS_URLS') ?? '')
    .split(',')
    .map((entry) => entry.trim().replace(/^[\w-]+=/, ''))
    .filter((url) => url !== '');
  const sources = [
    originSource(setting('VITE_CHAT_WS_URL') ?? (dev && regions.length === 0 ? LOCAL_SOCKET_URL : undefined)),
    ...regions.map((url) => originSource(url)),
    // Attachments are posted straight to the uploads bucket (presigned POST).
    originSource(setting('VITE_UPLOADS_URL') ?? (dev ? LOCAL_UPLOADS_URL : undefined)),
    authMode === 'dev' ? originSource(setting('VITE_DEV_AUTH_URL') ?? LOCAL_AUTH_URL) : undefined,
    authMode === 'cognito' ? originSource(`https://${setting('VITE_COGNITO_DOMAIN')}`) : undefined,
  ];
  return [...new Set(sources.filter((source): source is string => source !== undefined))];
}

/** A `VITE_*` setting as the app sees it: a `define` replacement (how `npm run dev` and the tests pass them) or the env. */
function viteSetting(config: ResolvedConfig, name: string): string | undefined {
  const defined = config.define?.[`import.meta.env.${name}`];
  const value = typeof defined === 'string' ? JSON.parse(defined) : config.env[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
