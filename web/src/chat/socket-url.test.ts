import { describe, expect, it } from 'vitest';
import { configuredEndpoints, configuredSocketUrl, LOCAL_SOCKET_URL } from './socket-url.ts';

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

describe('configuredEndpoints', () => {
  it('lists every region of VITE_CHAT_WS_URLS in the order given', () => {
    expect(
      configuredEndpoints({
        VITE_CHAT_WS_URLS:
          'us-east-1=wss://a1.execute-api.us-east-1.amazonaws.com/prod, eu-west-1=wss://b2.execute-api.eu-west-1.amazonaws.com/prod',
        DEV: false,
      }),
    ).toEqual([
      { region: 'us-east-1', url: 'wss://a1.execute-api.us-east-1.amazonaws.com/prod' },
      { region: 'eu-west-1', url: 'wss://b2.execute-api.eu-west-1.amazonaws.com/prod' },
    ]);
  });

  it('names an unnamed URL by its host, and falls back to the single URL', () => {
    expect(configuredEndpoints({ VITE_CHAT_WS_URLS: 'wss://chat.example.com/prod', DEV: false })).toEqual([
      { region: 'chat.example.com', url: 'wss://chat.example.com/prod' },
    ]);
    expect(configuredEndpoints({ VITE_CHAT_WS_URL: 'wss://one.test/dev', DEV: false })).toEqual([
      { region: 'one.test', url: 'wss://one.test/dev' },
    ]);
    expect(configuredEndpoints({ DEV: false })).toEqual([]);
  });
});
