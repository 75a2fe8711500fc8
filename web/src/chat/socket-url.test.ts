import { describe, expect, it } from 'vitest';
import { configuredSocketUrl, LOCAL_SOCKET_URL } from './socket-url.ts';

describe('configuredSocketUrl', () => {
  it('uses VITE_CHAT_WS_URL when it is set', () => {
    const deployed = 'wss://abc123.execute-api.eu-west-1.amazonaws.com/prod';

    expect(configuredSocketUrl({ VITE_CHAT_WS_URL: deployed, DEV: false })).toBe(deployed);
  });

  it('falls back to the local stack in development only', () => {
    expect(configuredSocketUrl({ DEV: true })).toBe(LOCAL_SOCKET_URL);
    expect(configuredSocketUrl({ VITE_CHAT_WS_URL: ' ', DEV: false })).toBeUndefined();
  });
});
