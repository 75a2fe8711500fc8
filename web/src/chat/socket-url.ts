/** The stack `npm run dev` starts; `vite dev` falls back to it when no URL is configured. */
export const LOCAL_SOCKET_URL = 'ws://127.0.0.1:3001';

/**
 * The chat WebSocket URL baked in at build time: `VITE_CHAT_WS_URL` (the `wss://` URL `serverless deploy`
 * prints), or the local stack in development. Undefined for a production build made without it.
 */
export function configuredSocketUrl(env: { VITE_CHAT_WS_URL?: string; DEV: boolean }): string | undefined {
  const configured = env.VITE_CHAT_WS_URL?.trim();
  if (configured) return configured;
  return env.DEV ? LOCAL_SOCKET_URL : undefined;
}

/** The socket URL with the sign-in token in the query string (browsers cannot set WebSocket headers). */
export function withToken(socketUrl: string, token: string): string {
  const url = new URL(socketUrl);
  url.searchParams.set('token', token);
  return url.toString();
}
