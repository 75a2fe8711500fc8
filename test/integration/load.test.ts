import { describe, expect, inject, it } from 'vitest';
import { isTurnStart } from '../../src/chat/messages.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { readSessionItem } from '../support/sessions.ts';

const stack = inject('stack');
const SOCKETS = 24;
const DURATION_MS = 10_000;
/** Below the test stack's 60 turns per minute per user, so every turn counts. */
const MAX_TURNS_PER_SOCKET = 48;

describe('load over the offline stack', () => {
  it(`keeps every turn of ${SOCKETS} concurrent sockets for ${DURATION_MS / 1000} s: zero lost turns`, async () => {
    // Sockets come in pairs: two tabs of one user writing to one session at once. They connect one after
    // another: 24 $connects at once start 24 authorizer workers at once, which on a busy 2-core machine can
    // outlast the authorizer's 10 s timeout (HTTP 500 at the upgrade). Connecting is not what this measures.
    const sockets: ChatSocket[] = [];
    for (let i = 0; i < SOCKETS; i++) {
      sockets.push(await openChat(stack, `load-${Math.floor(i / 2)}-${process.pid}`));
    }
    // serverless-offline starts one worker per concurrent invocation, as Lambda starts containers: warm them
    // first (untimed, in throwaway sessions) so the window measures steady state.
    await Promise.all(sockets.map((socket) => socket.turn(crypto.randomUUID(), 'warm up')));
    const sessions = Array.from({ length: SOCKETS / 2 }, () => crypto.randomUUID());
    const done = new Map<string, number>(sessions.map((id) => [id, 0]));
    const errors: string[] = [];
    const latencies: number[] = [];
    const deadline = Date.now() + DURATION_MS;

    await Promise.all(
      sockets.map(async (socket, i) => {
        const sessionId = sessions[Math.floor(i / 2)] as string;
        for (let turn = 0; turn < MAX_TURNS_PER_SOCKET / 2 && Date.now() < deadline; turn++) {
          const started = performance.now();
          const { end } = await socket.turn(sessionId, `load turn ${turn} from socket ${i}`);
          latencies.push(performance.now() - started);
          if (end.type === 'done') done.set(sessionId, (done.get(sessionId) ?? 0) + 1);
          else errors.push(end.code);
        }
      }),
    );

    const stored = await Promise.all(sessions.map((id) => readSessionItem(stack, id)));
    const completed = [...done.values()].reduce((a, b) => a + b, 0);
    expect(errors).toEqual([]);
    expect(stored.map((s) => s?.turns)).toEqual(sessions.map((id) => done.get(id)));
    // One write per turn, plus one per fold of turns that left the window into the summary (decision 25): every
    // turn is in the window or in the summary, none lost, none in both.
    expect(stored.map((s) => (s?.version ?? 0) >= (s?.turns ?? 0))).toEqual(sessions.map(() => true));
    expect(
      stored.map((s) => (s?.summary?.turns ?? 0) + (s?.messages ?? []).filter(isTurnStart).length),
    ).toEqual(sessions.map((id) => done.get(id)));
    latencies.sort((a, b) => a - b);
    const p = (q: number) =>
      Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
    console.info(
      `load: ${SOCKETS} sockets, ${sessions.length} shared sessions, ${completed} turns in ≤${DURATION_MS / 1000} s ` +
        `(${(completed / (DURATION_MS / 1000)).toFixed(1)} turns/s), ${errors.length} errors, 0 lost; turn p50 ${p(0.5)} ms, p95 ${p(0.95)} ms`,
    );
    await Promise.all(sockets.map((socket) => socket.close()));
  }, 120_000);
});
