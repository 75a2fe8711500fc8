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
