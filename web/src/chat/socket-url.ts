/** The stack `npm run dev` starts; `vite dev` falls back to it when no URL is configured. */
export const LOCAL_SOCKET_URL = 'ws://127.0.0.1:3001';

/** One region's chat WebSocket endpoint. */
export interface RegionEndpoint {
  /** The region's name (as configured), shown once connected. */
  region: string;
  url: string;
}

/**
 * The chat WebSocket URL baked in at build time: `VITE_CHAT_WS_URL` (the `wss://` URL `serverless deploy`
 * prints), or the local stack in development. Undefined for a production build made without it.
 */
export function configuredSocketUrl(env: { VITE_CHAT_WS_URL?: string; DEV: boolean }): string | undefined {
  const configured = env.VITE_CHAT_WS_URL?.trim();
  if (configured) return configured;
  return env.DEV ? LOCAL_SOCKET_URL : undefined;
}

/**
 * Every region the chat runs in: `VITE_CHAT_WS_URLS` (`us-east-1=wss://…,eu-west-1=wss://…`, set by a
 * multi-region `npm run deploy`), else the one URL of `configuredSocketUrl`. Empty when neither is set.
 */
export function configuredEndpoints(env: {
  VITE_CHAT_WS_URLS?: string;
  VITE_CHAT_WS_URL?: string;
  DEV: boolean;
}): RegionEndpoint[] {
  const listed = (env.VITE_CHAT_WS_URLS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const separator = entry.indexOf('=');
      const named = separator > 0 && !entry.slice(0, separator).includes('/');
      const url = named ? entry.slice(separator + 1).trim() : entry;
      return { region: named ? entry.slice(0, separator).trim() : new URL(url).host, url };
    });
  if (listed.length > 0) return listed;
  const single = configuredSocketUrl(env);
  return single ? [{ region: new URL(single).host, url: single }] : [];
}

/** The socket URL with the sign-in token in the query string (browsers cannot set WebSocket headers). */
export function withToken(socketUrl: string, token: string): string {
  const url = new URL(socketUrl);
  url.searchParams.set('token', token);
  return url.toString();
}
