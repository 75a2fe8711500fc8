import { webcrypto } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createCognitoSignIn } from './cognito-sign-in.ts';

const NOW = 1_800_000_000_000;
const idToken = (exp: number, email = 'ada@example.com') => `h.${btoa(JSON.stringify({ exp, email }))}.s`;

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  } as Storage;
}

function setup(search = '') {
  const storage = memoryStorage();
  const pendingStorage = memoryStorage();
  const location = { search, assign: vi.fn() };
  const history = { replaceState: vi.fn() };
  const fetch = vi.fn(async (_url: string, _init?: RequestInit) =>
    Response.json({ id_token: idToken(NOW / 1000 + 3600), refresh_token: 'refresh-1' }),
  );
  const options = {
    domain: 'chat-dev.auth.us-east-1.amazoncognito.com',
    clientId: 'client123',
    redirectUri: 'https://d111.cloudfront.net/',
    storage,
    pendingStorage,
    location,
    history,
    fetch: fetch as unknown as typeof globalThis.fetch,
    crypto: webcrypto as unknown as Crypto,
    now: () => NOW,
  };
  return { signIn: createCognitoSignIn(options), options, storage, pendingStorage, location, history, fetch };
}

describe('createCognitoSignIn', () => {
  it('sends a signed-out user to Cognito managed login with a PKCE challenge', async () => {
    const { signIn, location, pendingStorage } = setup();

    void signIn.getToken();
    await vi.waitFor(() => expect(location.assign).toHaveBeenCalled());

    const url = new URL(location.assign.mock.calls[0]?.[0] as string);
    expect(url.origin + url.pathname).toBe(
      'https://chat-dev.auth.us-east-1.amazoncognito.com/oauth2/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: 'https://d111.cloudfront.net/',
      scope: 'openid email',
      code_challenge_method: 'S256',
    });
    const pending = JSON.parse(pendingStorage.getItem('chat.auth.pending') ?? '{}') as {
      verifier: string;
      state: string;
    };
    const digest = new Uint8Array(
      await webcrypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier)),
    );
    const expected = Buffer.from(digest).toString('base64url');
    expect(url.searchParams.get('code_challenge')).toBe(expected);
    expect(url.searchParams.get('state')).toBe(pending.state);
  });

  it('exchanges the code it comes back with for tokens, and cleans the URL', async () => {
    const first = setup();
    void first.signIn.getToken();
    await vi.waitFor(() => expect(first.location.assign).toHaveBeenCalled());
    const { state, verifier } = JSON.parse(first.pendingStorage.getItem('chat.auth.pending') ?? '{}');

    const back = setup(`?code=abc&state=${state}`);
    back.pendingStorage.setItem('chat.auth.pending', JSON.stringify({ state, verifier }));
    await back.signIn.completeSignIn?.();

    const [url, init] = back.fetch.mock.calls[0] ?? [];
    expect(url).toBe('https://chat-dev.auth.us-east-1.amazoncognito.com/oauth2/token');
    expect(Object.fromEntries(new URLSearchParams(String(init?.body)))).toEqual({
      client_id: 'client123',
      grant_type: 'authorization_code',
      code: 'abc',
      redirect_uri: 'https://d111.cloudfront.net/',
      code_verifier: verifier,
    });
    expect(back.history.replaceState).toHaveBeenCalledWith(null, '', 'https://d111.cloudfront.net/');
    expect(await back.signIn.getToken()).toBe(idToken(NOW / 1000 + 3600));
    expect(back.signIn.user).toBe('ada@example.com');
  });

  it('refuses a code whose state does not match what it sent', async () => {
    const { signIn, pendingStorage } = setup('?code=abc&state=forged');
    pendingStorage.setItem('chat.auth.pending', JSON.stringify({ state: 'real', verifier: 'v' }));
    await expect(signIn.completeSignIn?.()).rejects.toThrow(/state does not match/);
  });

  it('renews an expired ID token with the refresh token, without leaving the page', async () => {
    const { signIn, storage, fetch, location } = setup();
    storage.setItem(
      'chat.auth.tokens',
      JSON.stringify({ idToken: idToken(NOW / 1000 - 10), refreshToken: 'refresh-1' }),
    );

    expect(await signIn.getToken()).toBe(idToken(NOW / 1000 + 3600));
    expect(Object.fromEntries(new URLSearchParams(String(fetch.mock.calls[0]?.[1]?.body)))).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
    });
    expect(location.assign).not.toHaveBeenCalled();
  });

  it('signs out by forgetting the tokens and visiting Cognito logout', () => {
    const { signIn, storage, location } = setup();
    storage.setItem('chat.auth.tokens', JSON.stringify({ idToken: idToken(NOW / 1000 + 60) }));
    signIn.signOut?.();
    expect(storage.getItem('chat.auth.tokens')).toBeNull();
    expect(location.assign).toHaveBeenCalledWith(
      'https://chat-dev.auth.us-east-1.amazoncognito.com/logout?client_id=client123&logout_uri=https%3A%2F%2Fd111.cloudfront.net%2F',
    );
  });
});
