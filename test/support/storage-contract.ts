import { describe, expect, it } from 'vitest';
import {
  ForbiddenError,
  MemoryFullError,
  RateLimitedError,
  SessionExpiredError,
  VersionConflictError,
} from '../../src/chat/errors.ts';
import type { Message } from '../../src/chat/messages.ts';
import type { ChatStorage, Clock, StoredSession, StoredTurn } from '../../src/chat/ports.ts';
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
  lastTurn: { turnId: 'turn-1', stopReason: 'end_turn', lastSeq: 4, runId: 'run-1' },
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

    it('creates a session only if none exists, and then saves on top of the claimed version 0', async () => {
      const { sessions } = setup();
      const { lastTurn: _lastTurn, ...fresh } = session();
      const claimed: StoredSession = { ...fresh, version: 0, turns: 0, messages: [] };

      expect(await sessions.create(claimed)).toBe(true);
      expect(await sessions.create({ ...claimed, ownerId: 'user-2' })).toBe(false);
      expect(await sessions.load(claimed.sessionId)).toEqual(claimed);

      const first = session({ sessionId: claimed.sessionId });
      await sessions.save(first, 0);
      expect(await sessions.load(claimed.sessionId)).toEqual(first);
      await expect(sessions.save({ ...first, version: 1 }, 0)).rejects.toBeInstanceOf(VersionConflictError);
    });

    it('saves a branch change with the session in one go: the branch left is stored, the one taken up deleted', async () => {
      const { sessions } = setup();
      const first = session();
      await sessions.save(first, 0);
      const left = { turnId: 'turn-1', messages: first.messages, expiresAt: first.expiresAt };
      const taken = { turnId: 'turn-2', messages: first.messages.slice(0, 1), expiresAt: first.expiresAt };

      const versions = [['turn-1', 'turn-2']];
      await sessions.save({ ...first, version: 2, versions }, 1, { branch: { leave: taken } });
      expect(await sessions.loadBranch(first.sessionId, 'turn-2')).toEqual(taken);

      await sessions.save({ ...first, version: 3, versions }, 2, {
        branch: { leave: left, takeUp: 'turn-2' },
      });
      expect(await sessions.loadBranch(first.sessionId, 'turn-1')).toEqual(left);
      expect(await sessions.loadBranch(first.sessionId, 'turn-2')).toBeUndefined();
      expect((await sessions.load(first.sessionId))?.versions).toEqual([['turn-1', 'turn-2']]);
    });

    it('writes no branch when the session write is refused on its version', async () => {
      const { sessions } = setup();
      const first = session();
      await sessions.save(first, 0);
      const left = { turnId: 'turn-9', messages: first.messages, expiresAt: first.expiresAt };

      await expect(
        sessions.save({ ...first, version: 2 }, 5, { branch: { leave: left } }),
      ).rejects.toBeInstanceOf(VersionConflictError);
      expect(await sessions.loadBranch(first.sessionId, 'turn-9')).toBeUndefined();
      expect((await sessions.load(first.sessionId))?.version).toBe(1);
    });

    it('keeps the turn id a question carries, which the model never sees', async () => {
      const { sessions } = setup();
      const withTurnIds = session();
      withTurnIds.messages[0] = { ...(withTurnIds.messages[0] as Message), turnId: 'turn-1' };
      await sessions.save(withTurnIds, 0);
      expect((await sessions.load(withTurnIds.sessionId))?.messages[0]).toEqual({
        role: 'user',
        content: [{ text: 'What time is it?' }],
        turnId: 'turn-1',
      });
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

  describe(`${name}: turns`, () => {
    const turn = (overrides: Partial<StoredTurn> = {}): StoredTurn => ({
      sessionId: crypto.randomUUID(),
      turnId: crypto.randomUUID(),
      ownerId: 'user-1',
      runId: 'run-1',
      leaseUntil: NOW + 28_000,
      createdAt: NOW,
      expiresAt: Math.floor(NOW / 1000) + 86_400,
      ...overrides,
    });

    it('claims a turn id once: a second claim, by anyone, is refused and changes nothing', async () => {
      const { turns } = setup();
      const first = turn();

      expect(await turns.claim(first)).toBe(true);
      expect(await turns.claim({ ...first, ownerId: 'user-2', runId: 'run-2' })).toBe(false);

      expect(await turns.find(first.sessionId, first.turnId)).toEqual(first);
      expect(await turns.find(first.sessionId, crypto.randomUUID())).toBeUndefined();
    });

    it('answers a claim or a hand-over repeated by the run that made it (a retried request) as its own', async () => {
      const { turns } = setup();
      const claimed = turn();
      const { sessionId, turnId } = claimed;

      expect(await turns.claim(claimed)).toBe(true);
      expect(await turns.claim(claimed)).toBe(true);
      const lease = { runId: 'run-2', leaseUntil: NOW + 50_000 };
      expect(await turns.takeOver(sessionId, turnId, 'run-1', lease)).toBe(true);
      expect(await turns.takeOver(sessionId, turnId, 'run-1', lease)).toBe(true);
      expect(await turns.takeOver(sessionId, turnId, 'run-1', { runId: 'run-3', leaseUntil: 1 })).toBe(false);
      expect(await turns.find(sessionId, turnId)).toMatchObject({ runId: 'run-2', leaseUntil: NOW + 50_000 });
    });

    it('keeps a turn claimed without an owner (auth off) without one', async () => {
      const { turns } = setup();
      const { ownerId: _owner, ...anonymous } = turn();
      await turns.claim(anonymous);
      expect(await turns.find(anonymous.sessionId, anonymous.turnId)).toEqual(anonymous);
    });

    it('hands the lease over only from the run that holds it, exactly once when two try at once', async () => {
      const { turns } = setup();
      const claimed = turn();
      await turns.claim(claimed);
      const { sessionId, turnId } = claimed;

      expect(await turns.takeOver(sessionId, turnId, 'someone-else', { runId: 'x', leaseUntil: 1 })).toBe(
        false,
      );
      const results = await Promise.all([
        turns.takeOver(sessionId, turnId, 'run-1', { runId: 'run-2', leaseUntil: NOW + 50_000 }),
        turns.takeOver(sessionId, turnId, 'run-1', { runId: 'run-3', leaseUntil: NOW + 60_000 }),
      ]);

      expect(results.filter(Boolean)).toHaveLength(1);
      const holder = results[0] ? 'run-2' : 'run-3';
      expect(await turns.find(sessionId, turnId)).toMatchObject({ runId: holder, ownerId: 'user-1' });
    });

    it('releases the lease of the run that holds it, and only that run', async () => {
      const { turns } = setup();
      const claimed = turn();
      await turns.claim(claimed);

      await turns.release(claimed.sessionId, claimed.turnId, 'not-the-holder');
      expect((await turns.find(claimed.sessionId, claimed.turnId))?.leaseUntil).toBe(claimed.leaseUntil);
      await turns.release(claimed.sessionId, claimed.turnId, 'run-1');
      expect((await turns.find(claimed.sessionId, claimed.turnId))?.leaseUntil).toBe(0);
    });

    it('discards a claim only for the run that made it', async () => {
      const { turns } = setup();
      const claimed = turn();
      await turns.claim(claimed);

      await turns.discard(claimed.sessionId, claimed.turnId, 'run-2');
      expect(await turns.find(claimed.sessionId, claimed.turnId)).toBeDefined();
      await turns.discard(claimed.sessionId, claimed.turnId, 'run-1');
      expect(await turns.find(claimed.sessionId, claimed.turnId)).toBeUndefined();
      await expect(turns.discard(claimed.sessionId, claimed.turnId, 'run-1')).resolves.toBeUndefined();
    });

    it("records the owner's stop request for the run holding the lease, with how far the client showed", async () => {
      const { turns } = setup();
      const claimed = turn();
      await turns.claim(claimed);
      const { sessionId, turnId } = claimed;

      expect(await turns.findStop(sessionId, turnId)).toBeUndefined();
      expect(
        await turns.requestStop(sessionId, turnId, 'user-1', {
          reason: 'cancelled',
          requestedAt: 1_700_000_000_123,
          seenSeq: 7,
        }),
      ).toBe('requested');

      expect(await turns.findStop(sessionId, turnId)).toEqual({
        reason: 'cancelled',
        requestedAt: 1_700_000_000_123,
        runId: 'run-1',
        seenSeq: 7,
      });
      expect((await turns.find(sessionId, turnId))?.stop).toEqual(await turns.findStop(sessionId, turnId));
    });

    it('keeps only the latest stop request, and none once the lease is handed over', async () => {
      const { turns } = setup();
      const claimed = turn();
      await turns.claim(claimed);
      const { sessionId, turnId } = claimed;
      await turns.requestStop(sessionId, turnId, 'user-1', {
        reason: 'cancelled',
        requestedAt: NOW,
        seenSeq: 3,
      });
      await turns.requestStop(sessionId, turnId, 'user-1', { reason: 'client_gone', requestedAt: NOW + 1 });

      expect(await turns.findStop(sessionId, turnId)).toEqual({
        reason: 'client_gone',
        requestedAt: NOW + 1,
        runId: 'run-1',
      });
      await turns.takeOver(sessionId, turnId, 'run-1', { runId: 'run-2', leaseUntil: NOW + 30_000 });
      expect(await turns.findStop(sessionId, turnId)).toBeUndefined();
    });

    it("refuses another user's stop request and writes nothing for a turn that does not exist", async () => {
      const { turns } = setup();
      const claimed = turn();
      await turns.claim(claimed);
      const request = { reason: 'cancelled' as const, requestedAt: NOW };

      expect(await turns.requestStop(claimed.sessionId, claimed.turnId, 'user-2', request)).toBe('forbidden');
      expect(await turns.requestStop(claimed.sessionId, claimed.turnId, undefined, request)).toBe(
        'forbidden',
      );
      expect(await turns.findStop(claimed.sessionId, claimed.turnId)).toBeUndefined();

      const absent = { sessionId: crypto.randomUUID(), turnId: crypto.randomUUID() };
      expect(await turns.requestStop(absent.sessionId, absent.turnId, 'user-1', request)).toBe('absent');
      expect(await turns.find(absent.sessionId, absent.turnId)).toBeUndefined();
    });

    it('lets anyone stop a turn without an owner (auth off)', async () => {
      const { turns } = setup();
      const { ownerId: _owner, ...anonymous } = turn();
      await turns.claim(anonymous);
      expect(
        await turns.requestStop(anonymous.sessionId, anonymous.turnId, undefined, {
          reason: 'cancelled',
          requestedAt: NOW,
        }),
      ).toBe('requested');
    });

    it("lists the session's turns whose lease runs past a time, and only that session's", async () => {
      const { turns } = setup();
      const sessionId = crypto.randomUUID();
      const base = { sessionId, runId: 'r', createdAt: NOW, expiresAt: Date.UTC(2027, 0, 15) / 1000 };
      await turns.claim({ ...base, turnId: 'live', leaseUntil: NOW + 30_000 });
      await turns.claim({ ...base, turnId: 'ended', leaseUntil: NOW - 1 });
      await turns.claim({
        ...base,
        sessionId: crypto.randomUUID(),
        turnId: 'other',
        leaseUntil: NOW + 30_000,
      });

      expect((await turns.leased(sessionId, NOW)).map((turn) => turn.turnId)).toEqual(['live']);
    });

    it('never touches the session of the turn it belongs to', async () => {
      const { sessions, turns } = setup();
      const original = session();
      await sessions.save(original, 0);
      const claimed = turn({ sessionId: original.sessionId });
      await turns.claim(claimed);
      await turns.requestStop(original.sessionId, claimed.turnId, 'user-1', {
        reason: 'client_gone',
        requestedAt: NOW,
      });
      await turns.takeOver(original.sessionId, claimed.turnId, 'run-1', { runId: 'run-2', leaseUntil: 1 });
      await turns.discard(original.sessionId, claimed.turnId, 'run-2');
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

  describe(`${name}: usage of a day`, () => {
    it('adds each record to the totals of its UTC day as well, and a new day starts at zero', async () => {
      const { usage, clock } = setup();
      const user = crypto.randomUUID();
      const delta = { turns: 1, inputTokens: 100, outputTokens: 10, costMicroUsd: 150 };
      const today = new Date(clock.now()).toISOString().slice(0, 10);

      await Promise.all([usage.record(user, delta), usage.record(user, delta)]);
      clock.advance(24 * 3600 * 1000);
      await usage.record(user, { turns: 0, inputTokens: 7, outputTokens: 3, costMicroUsd: 22 });
      const tomorrow = new Date(clock.now()).toISOString().slice(0, 10);

      expect(await usage.dayTotals(user, today)).toEqual({
        turns: 2,
        inputTokens: 200,
        outputTokens: 20,
        costMicroUsd: 300,
      });
      expect(await usage.dayTotals(user, tomorrow)).toEqual({
        turns: 0,
        inputTokens: 7,
        outputTokens: 3,
        costMicroUsd: 22,
      });
      expect((await usage.totals(user)).costMicroUsd).toBe(322);
      expect(await usage.dayTotals(crypto.randomUUID(), today)).toMatchObject({ turns: 0, costMicroUsd: 0 });
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
