import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ROOT } from '../../local/stack.ts';
import type { FigureReport, ServerFrame, StatsFrame, UsageFrame } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';

/**
 * Issue 17: scripted traffic over the real offline stack (serverless-offline, DynamoDB Local, the emulator),
 * then the admin's getStats and `npm run usage` show exactly those counts. Other test files share the stack,
 * so the figures asked for are this file's user's (getStats' `userId`); the unfiltered ones include them.
 */
const stack = inject('stack');
const user = `stats-user-${crypto.randomUUID()}`;
const since = new Date(Date.now() - 60_000).toISOString();
let chat: ChatSocket;
let admin: ChatSocket;

/**
 * Session one: two tool turns, then a model fault; session two: an answer stopped by the user. The two
 * answers of session one are rated: good and good, then the second changed to bad and the first sent good
 * again (with a comment): one good, one bad.
 */
beforeAll(async () => {
  chat = await openChat(stack, user);
  admin = await openChat(stack, `stats-admin-${crypto.randomUUID()}`, ['admins']);
  const first = crypto.randomUUID();
  const tokyo = await chat.turn(first, 'What time is it in Tokyo?');
  expect(tokyo.end).toMatchObject({ type: 'done' });
  const billing = await chat.turn(first, 'Where is the billing-api?');
  expect(billing.end).toMatchObject({ type: 'done' });
  const rate = async (end: ServerFrame, rating: 'up' | 'down', comment?: string) => {
    const turnId = 'turnId' in end ? end.turnId : undefined;
    const fromIndex = chat.frames.length;
    chat.send({ action: 'sendFeedback', sessionId: first, turnId, rating, ...(comment ? { comment } : {}) });
    await chat.waitFor((f) => f.type === 'feedback' && f.turnId === turnId && f.rating === rating, {
      fromIndex,
    });
  };
  await rate(tokyo.end, 'up');
  await rate(billing.end, 'up');
  await rate(billing.end, 'down');
  await rate(tokyo.end, 'up', 'Quick and right');
  expect((await chat.turn(first, '#fault:stream-error=2 tell me a story')).end).toMatchObject({
    type: 'error',
    code: 'MODEL_STREAM_ERROR',
  });

  const second = crypto.randomUUID();
  const turnId = crypto.randomUUID();
  chat.send({ action: 'sendMessage', sessionId: second, turnId, message: '#tokens:2000 #pace:10 stop me' });
  await chat.waitFor((f) => f.type === 'token' && f.turnId === turnId);
  chat.send({ action: 'cancel', sessionId: second, turnId });
  await chat.waitFor((f) => f.type === 'done' && f.turnId === turnId, { timeoutMs: 10_000 });

  // A refused request counts as an error of its user too.
  chat.send({ action: 'sendMessage', sessionId: 'not-a-uuid', message: 'hi' });
  await chat.waitFor((f) => f.type === 'error' && f.code === 'INVALID_FRAME');
}, 90_000);

afterAll(async () => {
  await chat?.close();
  await admin?.close();
});

async function getStats(socket: ChatSocket, request: Record<string, unknown>): Promise<ServerFrame> {
  const fromIndex = socket.frames.length;
  socket.send({ action: 'getStats', ...request });
  return socket.waitFor((f) => f.type === 'stats' || (f.type === 'error' && f.sessionId === null), {
    fromIndex,
  });
}

/** The stats are written after `done`: ask until the last turn is in (and fail if more ever show up). */
async function userStats(until?: string): Promise<StatsFrame> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const frame = (await getStats(admin, { since, userId: user, ...(until ? { until } : {}) })) as StatsFrame;
    const turns = value(frame, 'turns', 'turns');
    const errors = value(frame, 'errors', 'errors');
    const rated = value(frame, 'feedback', 'bad');
    if ((turns === 4 && errors === 2 && rated === 1) || Date.now() > deadline) return frame;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const figure = (frame: StatsFrame, id: string) => frame.figures.find((f) => f.id === id) as FigureReport;
const value = (frame: StatsFrame, id: string, label: string) =>
  figure(frame, id).values.find((v) => v.label === label)?.value;

describe('usage statistics over the real offline stack', () => {
  it('gives an admin exactly the counts of the scripted traffic', async () => {
    const frame = await userStats();
    expect(frame).toMatchObject({ type: 'stats', userId: user });
    expect(value(frame, 'turns', 'turns')).toBe(4);
    expect(value(frame, 'turns', 'resumed')).toBe(0);
    expect(value(frame, 'sessions', 'started')).toBe(2);
    expect(value(frame, 'sessions', 'active')).toBe(2);
    expect(value(frame, 'sessionTurns', 'average')).toBe(2);
    expect(value(frame, 'sessionTurns', 'p95')).toBe(3);
    expect(figure(frame, 'tools').breakdown).toEqual([
      { key: 'current_time', value: 1 },
      { key: 'lookup_resource', value: 1 },
    ]);
    expect(figure(frame, 'errors').breakdown).toEqual([
      { key: 'INVALID_FRAME', value: 1 },
      { key: 'MODEL_STREAM_ERROR', value: 1 },
    ]);
    expect(value(frame, 'errors', 'server error rate %')).toBe(25);
    expect(figure(frame, 'stops').breakdown).toEqual([
      { key: 'end_turn', value: 2 },
      { key: 'cancelled', value: 1 },
    ]);
    expect(value(frame, 'stops', 'failed')).toBe(1);
    expect(value(frame, 'stops', 'interrupted')).toBe(1);
    expect(value(frame, 'timeToFirstToken', 'p95')).toBeGreaterThan(0);
    expect(value(frame, 'tokens', 'input')).toBeGreaterThan(0);
    expect(value(frame, 'cost', 'total')).toBeGreaterThan(0);
    expect(figure(frame, 'cost').breakdown).toEqual([{ key: user, value: value(frame, 'cost', 'total') }]);
    // Each answer's current rating counts once: a changed rating moved its count, a repeated one added none.
    expect(value(frame, 'feedback', 'good')).toBe(1);
    expect(value(frame, 'feedback', 'bad')).toBe(1);
    expect(value(frame, 'feedback', 'good %')).toBe(50);
    const cold = value(frame, 'coldStarts', 'cold starts') as number;
    expect(cold).toBeGreaterThanOrEqual(0);
    expect(cold).toBeLessThanOrEqual(4);
    // Every series covers the range hour by hour, and adds up to its total.
    const turnsSeries = figure(frame, 'turns').series?.[0]?.values as number[];
    expect(turnsSeries).toHaveLength(frame.hours.length);
    expect(turnsSeries.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('has the tokens (cache reads and writes included) and the cost of the getUsage totals of the user', async () => {
    const frame = await userStats();
    const fromIndex = chat.frames.length;
    const dayBefore = new Date().toISOString().slice(0, 10);
    chat.send({ action: 'getUsage' });
    const usage = (await chat.waitFor((f) => f.type === 'usage', { fromIndex })) as UsageFrame;
    // This user was made for this file, minutes ago: all of its usage is today's (unless midnight fell between).
    if (new Date().toISOString().slice(0, 10) === dayBefore) {
      expect(usage.today).toEqual({ ...usage.user, day: dayBefore });
    }
    expect(value(frame, 'tokens', 'input')).toBe(usage.user.inputTokens);
    expect(value(frame, 'tokens', 'output')).toBe(usage.user.outputTokens);
    expect(value(frame, 'tokens', 'cache read')).toBe(usage.user.cacheReadTokens ?? 0);
    expect(value(frame, 'tokens', 'cache write')).toBe(usage.user.cacheWriteTokens ?? 0);
    expect(value(frame, 'cost', 'total')).toBeCloseTo(usage.user.estimatedCostUsd, 9);
  });

  it('counts the same traffic in the figures of everyone', async () => {
    const everyone = (await getStats(admin, { since })) as StatsFrame;
    expect(everyone.userId).toBeUndefined();
    expect(value(everyone, 'turns', 'turns')).toBeGreaterThanOrEqual(4);
    // The breakdown is the 12 costliest users; other test files share the stack, so this user is in it unless
    // it is full of users who cost at least as much.
    const breakdown = figure(everyone, 'cost').breakdown ?? [];
    const own = value(await userStats(), 'cost', 'total');
    if (!breakdown.some((entry) => entry.key === user)) {
      expect(breakdown).toHaveLength(12);
      for (const entry of breakdown) expect(entry.value).toBeGreaterThanOrEqual(own ?? 0);
    }
  });

  it('refuses getStats to a user outside the admins group, with FORBIDDEN', async () => {
    expect(await getStats(chat, { since })).toMatchObject({
      type: 'error',
      code: 'FORBIDDEN',
      sessionId: null,
      retryable: false,
    });
  });

  it('refuses a range of more than 31 days', async () => {
    expect(
      await getStats(admin, { since: new Date(Date.now() - 40 * 86_400_000).toISOString() }),
    ).toMatchObject({ type: 'error', code: 'INVALID_FRAME' });
  });

  it('exports the same figures with npm run usage, as JSON and as CSV', async () => {
    // One end for both reads: each would otherwise end at its own "now", a different hour near a full hour.
    const until = new Date().toISOString();
    const run = (format: string) =>
      promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          'infra/usage/usage-cli.ts',
          '--since',
          since,
          '--until',
          until,
          '--user',
          user,
          '--format',
          format,
          '--endpoint',
          stack.dynamodbEndpoint,
        ],
        { cwd: ROOT, timeout: 60_000 },
      );
    const exported = JSON.parse((await run('json')).stdout) as StatsFrame;
    const viaAction = await userStats(until);
    expect(exported.figures).toEqual(viaAction.figures);
    const csv = (await run('csv')).stdout.trim().split('\n');
    const header = csv[0]?.split(',') ?? [];
    expect(header[0]).toBe('hour');
    expect(csv).toHaveLength(exported.hours.length + 1);
    const turnsColumn = header.indexOf('turns.turns');
    expect(csv.slice(1).reduce((total, row) => total + Number(row.split(',')[turnsColumn]), 0)).toBe(4);
  });
});
