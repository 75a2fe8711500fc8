import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { DEV_AUDIENCE, signJwt } from '../../local/dev-issuer.ts';
import { devToken, openChat } from '../support/chat-socket.ts';
import { readSessionItem } from '../support/sessions.ts';

const stack = inject('stack');

/** Resolves with how a connection attempt ended: "open", or the HTTP status of the refused upgrade. */
function tryConnect(query: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${stack.websocketUrl}${query}`);
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_request, response) => resolve(String(response.statusCode)));
    ws.once('error', () => resolve('error'));
  });
}

const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const claims = (overrides: Record<string, unknown> = {}) => {
  const now = Math.floor(Date.now() / 1000);
  return { iss: stack.authUrl, aud: DEV_AUDIENCE, sub: 'mallory', iat: now, exp: now + 600, ...overrides };
};

describe('authenticated $connect', () => {
  it('accepts a valid token from the issuer', async () => {
    expect(await tryConnect(`?token=${await devToken(stack, 'alice')}`)).toBe('open');
  });

  it.each([
    ['no token', async () => ''],
    ['an empty token', async () => '?token='],
    ['garbage', async () => '?token=not.a.jwt'],
    [
      'an expired token',
      async () =>
        `?token=${(await (await fetch(`${stack.authUrl}/token?user=alice&lifetime=-60`)).json()).token}`,
    ],
    ['a token signed with another key', async () => `?token=${signJwt(claims(), foreignKey, 'dev-x')}`],
    [
      'a token with alg "none"',
      async () => {
        const encode = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
        return `?token=${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims())}.`;
      },
    ],
  ])('refuses a connection with %s', async (_name, query) => {
    expect(await tryConnect(await query())).not.toBe('open');
  });

  it.each([
    ['an access token (token_use "access") where an ID token is expected', 'use=access'],
    ['a token without an expiry, which would never expire', 'expiry=none'],
  ])('refuses at the upgrade %s, though the issuer signed it', async (_name, option) => {
    const issued = await (await fetch(`${stack.authUrl}/token?user=alice&${option}`)).json();
    expect(await tryConnect(`?token=${issued.token}`)).toBe('403');
  });
});

describe('session ownership', () => {
  it('gives another user FORBIDDEN for every action on a session, and leaves it unchanged', async () => {
    const owner = await openChat(stack, `owner-${crypto.randomUUID()}`);
    const sessionId = crypto.randomUUID();
    const { end } = await owner.turn(sessionId, 'My private question');
    expect(end.type).toBe('done');
    const before = await readSessionItem(stack, sessionId);

    const intruder = await openChat(stack, `intruder-${crypto.randomUUID()}`);
    const turnId = crypto.randomUUID();
    for (const frame of [
      { action: 'sendMessage', sessionId, message: 'Let me in' },
      { action: 'getHistory', sessionId },
      { action: 'cancel', sessionId, turnId },
      { action: 'resume', sessionId, turnId },
    ]) {
      const from = intruder.frames.length;
      intruder.send(frame);
      const reply = await intruder.waitFor(() => true, { fromIndex: from });
      expect(reply, frame.action).toEqual({
        type: 'error',
        sessionId,
        ...('turnId' in frame ? { turnId } : {}),
        code: 'FORBIDDEN',
        message: 'This session belongs to someone else.',
        retryable: false,
      });
    }

    expect(await readSessionItem(stack, sessionId)).toEqual(before);
    await Promise.all([owner.close(), intruder.close()]);
  });
});

describe('per-user rate limit', () => {
  it('answers turns over the per-minute limit with RATE_LIMITED, counted per user across connections', async () => {
    const user = `busy-${crypto.randomUUID()}`;
    const [first, second] = await Promise.all([openChat(stack, user), openChat(stack, user)]);
    // The limit counts per calendar minute: 62 quick turns (about 2 s) must not straddle a new minute.
    await startOfMinuteIfLessThanLeft(15_000);
    const ends = [];
    for (let i = 0; i < 31; i++) {
      ends.push((await first.turn(crypto.randomUUID(), `quick ${i}`)).end);
      ends.push((await second.turn(crypto.randomUUID(), `quick ${i}`)).end);
    }

    const limited = ends.filter((end) => end.type === 'error');
    // 60 per minute in the test stack.
    expect(ends.filter((end) => end.type === 'done')).toHaveLength(60);
    expect(limited).toHaveLength(2);
    expect(limited[0]).toMatchObject({
      code: 'RATE_LIMITED',
      retryable: true,
      message: expect.stringMatching(/60 per minute/),
    });

    const other = await openChat(stack);
    expect((await other.turn(crypto.randomUUID(), 'my own allowance')).end.type).toBe('done');
    await Promise.all([first.close(), second.close(), other.close()]);
  }, 120_000);
});

/** Waits for the next minute to begin when less than `neededMs` of the current one is left. */
async function startOfMinuteIfLessThanLeft(neededMs: number) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < neededMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
}
