/**
 * The web app's Content Security Policy, one source for every place that serves it: the meta tag Vite writes
 * into index.html (dev server, preview, any static host) and CloudFront's response header (serverless.yml,
 * checked against this in test/integration/serverless-template.test.ts).
 *
 * Answers are Markdown from a model that may have read attacker-controlled text (a knowledge-base document,
 * the resource catalogue), so the page loads nothing from elsewhere: no remote images (an image URL can carry
 * data out), scripts and styles from the app's own origin only, and connections only to the chat's
 * WebSocket API and its sign-in.
 */
export interface PolicyOptions {
  /** Origins the page may connect to besides its own: the chat WebSocket API, the token endpoint. */
  connectSources: readonly string[];
  /** Vite's dev server injects inline scripts (React refresh) and styles (CSS modules, HMR): it tags them. */
  nonce?: string;
  /** Sent as a response header, which may carry directives a meta tag cannot (`frame-ancestors`). */
  header?: boolean;
}

export function contentSecurityPolicy({ connectSources, nonce, header = false }: PolicyOptions): string {
  const own = ["'self'", ...(nonce ? [`'nonce-${nonce}'`] : [])].join(' ');
  return [
    "default-src 'self'",
    `script-src ${own}`,
    `style-src ${own}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    ["connect-src 'self'", ...connectSources].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    ...(header ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}

/** The scheme, host and port of a URL, as a CSP source (`ws://127.0.0.1:3001`); undefined if it is no URL. */
export function originSource(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}`;
  } catch {
    return undefined;
  }
}
