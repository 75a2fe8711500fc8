import { describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  MemoryFullError,
  RateLimitedError,
  SessionExpiredError,
  VersionConflictError,
} from '../../src/chat/errors.ts';
import type { ChatStorage, Clock, StoredSession } from '../../src/chat/ports.ts';
import { assertUsable, createSession } from '../../src/chat/session.ts';
import { createFakeClock } from './fakes.ts';

/** The stores a turn writes, as one adapter family builds them for a clock and a per-minute turn limit. */
export type ContractStorage = Omit<ChatStorage, 'resources'>;
export type CreateContractStorage = (options: {
  clock: Clock;
  rateLimitPerMinute: number;
}) => ContractStorage;

/** 2026-11-24 12:00:20 UTC: 40 s before the next rate-limit window opens. */
const NOW = Date.UTC(2026, 10, 24, 12, 0, 20);

/** A stored session with a tool call and its result, owned by user-1, valid until 2027-01-15. */
const session = (overrides: Partial<StoredSession> = {}): StoredSession => ({
  sessionId: crypto.randomUUID(),
  ownerId: 'user-1',
  version: 1,
  turns: 1,
  messages: [
    { role: 'user', content: [{ text: 'What time is it?' }] },
    {
      role: 'assistant',
      content: [
        {
          toolUse: {
            toolUseId: 't1',
            name: 'current_time',
            input: { timeZone: 'UTC', nested: { list: [1, 'two', null] } },
          },
        },
      ],
    },
    {
      role: 'user',
      content: [
        {
          toolResult: {
            toolUseId: 't1',
            content: [{ json: { iso: '2026-11-24T12:00:00Z' } }],
            status: 'success',
          },
        },
      ],
    },
    { role: 'assistant', content: [{ text: 'Noon.' }] },
  ],
  usage: { inputTokens: 10, outputTokens: 3 },
  costMicroUsd: 25,
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:00.000Z',
  expiresAt: Date.UTC(2027, 0, 15) / 1000,
  lastTurn: { turnId: 'turn-1', stopReason: 'end_turn', lastSeq: 4 },
  ...overrides,
});

/**
 * What every adapter family of the chat's storage promises the core, as one suite: the in-memory stores
 * (unit tests, the recorder, benchmarks) and the DynamoDB ones (the Lambda) run the same cases, so the fakes
 * behave like production in exactly the ways the core relies on.
 */
export function describeStorageContract(name: string, create: CreateContractStorage): void {
  const setup = (rateLimitPerMinute = 3) => {
    const clock = createFakeClock(NOW);
    return { clock, ...create({ clock, rateLimitPerMinute }) };
  };

  describe(`${name}: sessions`, () => {
    it('returns undefined for a session that was never saved', async () => {
      const { sessions } = setup();
      expect(await sessions.load(crypto.randomUUID())).toBeUndefined();
    });

    it('stores a session and reads it back unchanged, tool blocks included', async () => {
      const { sessions } = setup();
      const original = session();
      await sessions.save(original, 0);
      expect(await sessions.load(original.sessionId)).toEqual(original);
    });

    it('refuses a write based on a stale version, and a second creation of the same session', async () => {
      const { sessions } = setup();
      const first = session();
      await sessions.save(first, 0);
      await sessions.save({ ...first, version: 2 }, 1);

      await expect(sessions.save({ ...first, version: 2 }, 1)).rejects.toBeInstanceOf(VersionConflictError);
      await expect(sessions.save({ ...first, version: 1 }, 0)).rejects.toBeInstanceOf(VersionConflictError);
      expect((await sessions.load(first.sessionId))?.version).toBe(2);
    });

    it('lets exactly one of two writers from the same version win', async () => {
      const { sessions } = setup();
      const first = session();
      await sessions.save(first, 0);

      const results = await Promise.allSettled([
        sessions.save({ ...first, version: 2, turns: 2 }, 1),
        sessions.save({ ...first, version: 2, turns: 3 }, 1),
      ]);

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const [lost] = results.filter((result) => result.status === 'rejected');
      expect(lost?.reason).toBeInstanceOf(VersionConflictError);
    });

    it('still returns a session past its expiry, which the core then refuses as expired', async () => {
      const { sessions, clock } = setup();
      const expired = session({ expiresAt: Math.floor(clock.now() / 1000) - 1 });
      await sessions.save(expired, 0);

      const loaded = await sessions.load(expired.sessionId);

      expect(loaded).toEqual(expired);
      expect(() => assertUsable(loaded as StoredSession, 'user-1', clock.now())).toThrow(SessionExpiredError);
    });

    it("keeps the owner, so the core refuses another user's access", async () => {
      const { sessions, clock } = setup();
      const owned = session({ ownerId: 'user-1' });
      await sessions.save(owned, 0);

      const loaded = (await sessions.load(owned.sessionId)) as StoredSession;

      expect(loaded.ownerId).toBe('user-1');
      expect(() => assertUsable(loaded, 'user-2', clock.now())).toThrow(ForbiddenError);
      expect(() => assertUsable(loaded, 'user-1', clock.now())).not.toThrow();
    });

    it('loads a session saved without an owner (auth off) without one', async () => {
      const { sessions, clock } = setup();
      const anonymous = { ...createSession(crypto.randomUUID(), undefined, clock.now()), version: 1 };
      await sessions.save(anonymous, 0);

      const loaded = await sessions.load(anonymous.sessionId);

      expect(loaded).toEqual(anonymous);
      expect(loaded).not.toHaveProperty('ownerId');
    });
  });

  describe(`${name}: stop requests`, () => {
    it('finds a stop request for exactly the turn it names', async () => {
      const { stopRequests } = setup();
      const sessionId = crypto.randomUUID();
      await stopRequests.request(sessionId, 'turn-a', {
        reason: 'cancelled',
        requestedAt: 1_700_000_000_123,
      });

      expect(await stopRequests.find(sessionId, 'turn-a')).toEqual({
        reason: 'cancelled',
        requestedAt: 1_700_000_000_123,
      });
      expect(await stopRequests.find(sessionId, 'turn-b')).toBeUndefined();
      expect(await stopRequests.find(crypto.randomUUID(), 'turn-a')).toBeUndefined();
    });

    it('keeps the latest request for a turn', async () => {
      const { stopRequests } = setup();
      const sessionId = crypto.randomUUID();
      await stopRequests.request(sessionId, 't', { reason: 'client_gone', requestedAt: 1_700_000_000_000 });
      await stopRequests.request(sessionId, 't', { reason: 'cancelled', requestedAt: 1_700_000_001_000 });

      expect(await stopRequests.find(sessionId, 't')).toEqual({
        reason: 'cancelled',
        requestedAt: 1_700_000_001_000,
      });
    });

    it('never touches the session of the turn it stops', async () => {
      const { sessions, stopRequests } = setup();
      const original = session();
      await sessions.save(original, 0);
      await stopRequests.request(original.sessionId, 'turn-1', { reason: 'client_gone', requestedAt: NOW });
      expect(await sessions.load(original.sessionId)).toEqual(original);
    });
  });

  describe(`${name}: usage totals`, () => {
    it('starts every user at zero', async () => {
      const { usage } = setup();
      expect(await usage.totals(crypto.randomUUID())).toEqual({
        turns: 0,
        inputTokens: 0,
        outputTokens: 0,
        costMicroUsd: 0,
      });
    });

    it("adds every record to its user's totals, and only theirs, even when they arrive at once", async () => {
      const { usage } = setup();
      const [alice, bob] = [crypto.randomUUID(), crypto.randomUUID()];
      const delta = { turns: 1, inputTokens: 100, outputTokens: 10, costMicroUsd: 150 };

      await Promise.all([
        ...Array.from({ length: 5 }, () => usage.record(alice, delta)),
        usage.record(bob, delta),
      ]);
      await usage.record(alice, { turns: 0, inputTokens: 7, outputTokens: 3, costMicroUsd: 22 });

      expect(await usage.totals(alice)).toEqual({
        turns: 5,
        inputTokens: 507,
        outputTokens: 53,
        costMicroUsd: 772,
      });
      expect(await usage.totals(bob)).toEqual(delta);
    });

    it('keeps prompt-cache reads and writes apart from input tokens', async () => {
      const { usage } = setup();
      const user = crypto.randomUUID();

      await usage.record(user, {
        turns: 1,
        inputTokens: 4,
        outputTokens: 10,
        cacheWriteTokens: 2701,
        costMicroUsd: 3430,
      });
      await usage.record(user, {
        turns: 1,
        inputTokens: 4,
        outputTokens: 10,
        cacheReadTokens: 2701,
        costMicroUsd: 324,
      });

      expect(await usage.totals(user)).toEqual({
        turns: 2,
        inputTokens: 8,
        outputTokens: 20,
        cacheReadTokens: 2701,
        cacheWriteTokens: 2701,
        costMicroUsd: 3754,
      });
    });
  });

  describe(`${name}: memories`, () => {
    const memory = (text: string, createdAt = '2026-11-24T12:00:00.000Z') => ({
      memoryId: crypto.randomUUID(),
      text,
      createdAt,
    });

    it('starts every user with no memories', async () => {
      const { memories } = setup();
      expect(await memories.list(crypto.randomUUID())).toEqual([]);
    });

    it("keeps each user's memories apart, oldest first", async () => {
      const { memories } = setup();
      const [alice, bob] = [crypto.randomUUID(), crypto.randomUUID()];
      const teal = memory('My favourite colour is teal', '2026-11-24T12:00:01.000Z');
      const cat = memory('I have a cat called Miso', '2026-11-24T12:00:00.000Z');
      await memories.add(alice, teal, 5);
      await memories.add(alice, cat, 5);
      await memories.add(bob, memory('I live in Lyon'), 5);

      expect(await memories.list(alice)).toEqual([cat, teal]);
      expect((await memories.list(bob)).map((m) => m.text)).toEqual(['I live in Lyon']);
    });

    it('refuses a memory beyond the cap, even when several arrive at once', async () => {
      const { memories } = setup();
      const user = crypto.randomUUID();

      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) => memories.add(user, memory(`fact ${i}`), 3)),
      );

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
      const refused = results.find((result) => result.status === 'rejected');
      expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(MemoryFullError);
      expect(await memories.list(user)).toHaveLength(3);
    });

    it('deletes one memory at once, and deleting a missing one changes nothing', async () => {
      const { memories } = setup();
      const user = crypto.randomUUID();
      const [keep, drop] = [memory('keep me'), memory('drop me', '2026-11-24T12:00:05.000Z')];
      await memories.add(user, keep, 5);
      await memories.add(user, drop, 5);

      await memories.remove(user, drop.memoryId);
      await memories.remove(user, crypto.randomUUID());
      await memories.remove(crypto.randomUUID(), keep.memoryId);

      expect(await memories.list(user)).toEqual([keep]);
    });

    it('forgets everything of one user, and only theirs; they can remember again', async () => {
      const { memories } = setup();
      const [alice, bob] = [crypto.randomUUID(), crypto.randomUUID()];
      await memories.add(alice, memory('a1'), 5);
      await memories.add(alice, memory('a2'), 5);
      await memories.add(bob, memory('b1'), 5);

      await memories.clear(alice);
      await memories.clear(crypto.randomUUID());

      expect(await memories.list(alice)).toEqual([]);
      expect(await memories.list(bob)).toHaveLength(1);
      await memories.add(alice, memory('a3'), 5);
      expect((await memories.list(alice)).map((m) => m.text)).toEqual(['a3']);
    });
  });

  describe(`${name}: rate-limit windows`, () => {
    it('allows the limit per minute, then refuses with the seconds until the next minute', async () => {
      const { rateLimiter } = setup(3);
      const key = crypto.randomUUID();
      for (let turn = 0; turn < 3; turn++) await rateLimiter.acquire(key);

      const refused = await rateLimiter.acquire(key).catch((error: unknown) => error);

      expect(refused).toBeInstanceOf(RateLimitedError);
      expect(refused).toMatchObject({ code: 'RATE_LIMITED', limitPerMinute: 3, retryAfterSeconds: 40 });
    });

    it('counts each key on its own', async () => {
      const { rateLimiter } = setup(1);
      const [alice, bob] = [crypto.randomUUID(), crypto.randomUUID()];
      await rateLimiter.acquire(alice);
      await expect(rateLimiter.acquire(bob)).resolves.toBeUndefined();
      await expect(rateLimiter.acquire(alice)).rejects.toBeInstanceOf(RateLimitedError);
    });

    it('opens a fresh window at the next minute', async () => {
      const { rateLimiter, clock } = setup(1);
      const key = crypto.randomUUID();
      await rateLimiter.acquire(key);
      await expect(rateLimiter.acquire(key)).rejects.toBeInstanceOf(RateLimitedError);

      clock.advance(40_000);

      await expect(rateLimiter.acquire(key)).resolves.toBeUndefined();
    });

    it('lets exactly the limit through when turns arrive at once', async () => {
      const { rateLimiter } = setup(3);
      const key = crypto.randomUUID();

      const results = await Promise.allSettled(Array.from({ length: 6 }, () => rateLimiter.acquire(key)));

      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
    });
  });
}
