import { describe, expect, it, vi } from 'vitest';
import { createDevSignIn } from './dev-sign-in.ts';

const jwt = (exp: number) => `h.${btoa(JSON.stringify({ exp }))}.s`;

function setup(search = '', stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const fakeStorage = {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, value),
  } as Storage;
  let now = 1_000_000_000_000;
  const fetch = vi.fn(
    async (url: string) => new Response(JSON.stringify({ token: jwt(now / 1000 + 3600), url })),
  );
  const signIn = createDevSignIn({
    issuerUrl: 'http://127.0.0.1:4011',
    storage: fakeStorage,
    location: { search },
    fetch: fetch as unknown as typeof globalThis.fetch,
    now: () => now,
  });
  return { signIn, fetch, storage, advance: (ms: number) => (now += ms) };
}

describe('createDevSignIn', () => {
  it('fetches a token for the remembered user from the dev issuer, and reuses it while it is fresh', async () => {
    const { signIn, fetch, advance } = setup('', { 'chat.devUser': 'alice' });

    const first = await signIn.getToken();
    advance(30 * 60_000);
    expect(await signIn.getToken()).toBe(first);
    expect(fetch).toHaveBeenCalledOnce();
    expect(fetch).toHaveBeenCalledWith('http://127.0.0.1:4011/token?user=alice');
    expect(signIn.user).toBe('alice');
  });

  it('fetches a new token when the old one has less than a minute left', async () => {
    const { signIn, fetch, advance } = setup();
    await signIn.getToken();
    advance(59 * 60_000 + 1);
    await signIn.getToken();
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it('takes the user from ?user= and remembers it, so two browsers can be two people', async () => {
    const { signIn, storage } = setup('?user=bob');
    expect(signIn.user).toBe('bob');
    expect(storage.get('chat.devUser')).toBe('bob');
  });

  it('asks for the groups of ?groups= (admins opens the admin page) and forgets them with a new ?user=', async () => {
    const admin = setup('?user=ana&groups=admins');
    await admin.signIn.getToken();
    expect(admin.fetch).toHaveBeenCalledWith('http://127.0.0.1:4011/token?user=ana&groups=admins');
    const later = setup('', Object.fromEntries(admin.storage));
    await later.signIn.getToken();
    expect(later.fetch).toHaveBeenCalledWith('http://127.0.0.1:4011/token?user=ana&groups=admins');
    const plain = setup('?user=ana', Object.fromEntries(admin.storage));
    await plain.signIn.getToken();
    expect(plain.fetch).toHaveBeenCalledWith('http://127.0.0.1:4011/token?user=ana');
  });

  it('signs in as dev-user by default', () => {
    expect(setup().signIn.user).toBe('dev-user');
  });
});
