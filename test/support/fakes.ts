import { createInMemoryMemoryStore } from '../../src/adapters/memory/memory-memory-store.ts';
import { createMemoryRateLimiter } from '../../src/adapters/memory/memory-rate-limiter.ts';
import { createMemorySessionStore } from '../../src/adapters/memory/memory-session-store.ts';
import { createMemoryTurnStore } from '../../src/adapters/memory/memory-turn-store.ts';
import { createMemoryUsageLedger } from '../../src/adapters/memory/memory-usage-ledger.ts';
import { ClientGoneError } from '../../src/chat/errors.ts';
import type { TokenUsage } from '../../src/chat/messages.ts';
import type {
  Clock,
  ModelClient,
  ModelEvent,
  ModelRequest,
  Reply,
  StoredSession,
} from '../../src/chat/ports.ts';
import { createToolRegistry } from '../../src/chat/tools/registry.ts';
import type { TurnDependencies, TurnSettings } from '../../src/chat/turn.ts';
import type { ServerFrame } from '../../src/protocol/server-frame.ts';

/** One model call's behaviour: events to yield (with optional waits), or an error to throw. */
export type ScriptedCall = Array<ModelEvent | { waitMs: number } | { throw: Error } | { hang: true }>;

/**
 * A ModelClient that plays one script per call, in order, and records each request. It honours the abort
 * signal like the SDK does: an aborted call throws the signal's reason.
 */
export function createFakeModel(calls: ScriptedCall[]): ModelClient & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    requests,
    async *stream(request, signal) {
      requests.push(structuredClone(request));
      const script = calls[requests.length - 1];
      if (!script) throw new Error(`Fake model: no script for call ${requests.length}`);
      for (const step of script) {
        if (signal.aborted) throw signal.reason;
        if ('waitMs' in step) await abortableWait(step.waitMs, signal);
        else if ('hang' in step) await abortableWait(Number.POSITIVE_INFINITY, signal);
        else if ('throw' in step) throw step.throw;
        else yield step;
      }
    },
  };
}

function abortableWait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = Number.isFinite(ms) ? setTimeout(resolve, ms) : undefined;
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Text deltas then a stop, as a plain answer streams. */
export function answer(text: string, usage: TokenUsage = { inputTokens: 10, outputTokens: 5 }): ScriptedCall {
  return [
    ...(text.match(/\s*\S+/g) ?? []).map((t): ModelEvent => ({ type: 'text', text: t })),
    { type: 'stop', stopReason: 'end_turn' },
    { type: 'usage', usage },
  ];
}

/** A response that asks for tools. */
export function toolCall(
  ...calls: Array<{ name: string; input: Record<string, string>; id?: string }>
): ScriptedCall {
  return [
    ...calls.flatMap(({ name, input, id }, index): ModelEvent[] => [
      { type: 'toolStart', toolUseId: id ?? `tooluse_${index}`, name },
      { type: 'toolUse', toolUseId: id ?? `tooluse_${index}`, name, input },
    ]),
    { type: 'stop', stopReason: 'tools_requested' },
    { type: 'usage', usage: { inputTokens: 10, outputTokens: 2 } },
  ];
}

/**
 * A Reply that records frames. After `goneAfter` sends it answers 410 like API Gateway for a closed socket;
 * after `failAfter` sends it fails another way (`failure`, e.g. a timeout).
 */
export function createRecordingReply(
  options: { goneAfter?: number; failAfter?: number; failure?: Error; delayMs?: number } = {},
): Reply & { frames: ServerFrame[]; attempts: number } {
  const frames: ServerFrame[] = [];
  const reply = {
    frames,
    attempts: 0,
    async send(frame: ServerFrame) {
      reply.attempts++;
      if (options.delayMs) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
      if (options.goneAfter !== undefined && reply.attempts > options.goneAfter) throw new ClientGoneError();
      if (options.failAfter !== undefined && reply.attempts > options.failAfter)
        throw options.failure ?? new Error('push failed');
      frames.push(frame);
    },
  };
  return reply;
}

export function createFakeClock(
  startMs = Date.UTC(2026, 10, 24, 12, 0, 0),
): Clock & { advance(ms: number): void } {
  let now = startMs;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
  };
}

/** The text of a list of frames, tokens joined in order. */
export const streamedText = (frames: ServerFrame[]) =>
  frames.map((frame) => (frame.type === 'token' ? frame.value : '')).join('');

/** A stored session of one question and answer, valid until 2026-11-25 11:00 UTC; override what a test needs. */
export function storedSession(overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    sessionId: 'session-1',
    version: 1,
    turns: 1,
    messages: [
      { role: 'user', content: [{ text: 'earlier' }] },
      { role: 'assistant', content: [{ text: 'reply' }] },
    ],
    usage: { inputTokens: 100, outputTokens: 50 },
    createdAt: '2026-11-24T11:00:00.000Z',
    updatedAt: '2026-11-24T11:00:00.000Z',
    expiresAt: Date.UTC(2026, 10, 25, 11, 0, 0) / 1000,
    ...overrides,
  };
}

/** Turn settings for unit tests: fast polls, tiny flush waits, a 24 h session; override what a test needs. */
export function testTurnSettings(overrides: Partial<TurnSettings> = {}): TurnSettings {
  return {
    windowMessages: 20,
    maxWindowBytes: 300 * 1024,
    memory: { maxMemories: 5, maxChars: 200 },
    sessionTtlSeconds: 24 * 3600,
    prices: { inputUsdPerMillion: 1, outputUsdPerMillion: 5 },
    maxToolRounds: 4,
    modelIdleTimeoutMs: 1_000,
    deadlineMarginMs: 100,
    replyMarginMs: 20,
    saveAttempts: 5,
    stopPollMs: 20,
    attachPollMs: 10,
    maxTurnBytes: 96 * 1024,
    flush: { minDelayMs: 1, maxDelayMs: 1, maxFrameBytes: 10_000 },
    ...overrides,
  };
}

/** Everything a turn needs, in memory, with a fake clock and a scripted model; override what a test needs. */
export function createTestTurnDependencies(
  calls: ScriptedCall[],
  overrides: Partial<TurnDependencies> = {},
): TurnDependencies & {
  model: ReturnType<typeof createFakeModel>;
  turns: ReturnType<typeof createMemoryTurnStore>;
  clock: ReturnType<typeof createFakeClock>;
} {
  const clock = createFakeClock();
  return {
    sessions: createMemorySessionStore(),
    rateLimiter: createMemoryRateLimiter(100, clock),
    usage: createMemoryUsageLedger(),
    memories: createInMemoryMemoryStore(),
    tools: createToolRegistry([]),
    settings: testTurnSettings(),
    ...overrides,
    turns: (overrides.turns as ReturnType<typeof createMemoryTurnStore>) ?? createMemoryTurnStore(),
    clock: (overrides.clock as ReturnType<typeof createFakeClock>) ?? clock,
    model: (overrides.model as ReturnType<typeof createFakeModel>) ?? createFakeModel(calls),
  };
}
