import { type ChatSocket, openChat } from '../../test/support/chat-socket.ts';
import type { StackInfo } from '../../test/support/stack-info.ts';
import { now } from './clock.ts';
import { type SocketTurn, timeSocketTurn } from './socket-turn.ts';
import { round, type Summary, summarize } from './stats.ts';

export interface SocketLanePlan {
  /** Open sockets, each a lane of turns sent one after another. */
  sockets: number;
  message: string;
  /** Turns each socket sends before the clock starts (offline starts a handler instance per busy socket). */
  warmupTurns: number;
  /** Whether a lane sends another measured turn, given how many it sent and the time since the start. */
  more(laneTurns: number, elapsedMs: number): boolean;
  /** A lane starts a new session after this many turns (warm-up included). */
  turnsPerSession: number;
}

export interface SocketLane {
  /** Measured turns only. */
  turns: SocketTurn[];
  /** Every session the lane used and how many of its turns (warm-up included) ended with `done`. */
  completedBySession: Map<string, number>;
}

/**
 * Opens `sockets` WebSockets to the offline stack (each as its own user when auth is on), warms them up,
 * then runs the lanes at once until `more` says stop. Returns the lanes and the measured wall time.
 */
export async function runSocketLanes(
  stack: StackInfo,
  plan: SocketLanePlan,
): Promise<{ lanes: SocketLane[]; measuredMs: number }> {
  const sockets: ChatSocket[] = await Promise.all(
    Array.from({ length: plan.sockets }, () => openChat(stack, `bench-${crypto.randomUUID()}`)),
  );
  try {
    const lanes = sockets.map(() => ({
      turns: [] as SocketTurn[],
      completedBySession: new Map<string, number>(),
    }));
    const state = sockets.map((socket) => ({ socket, sessionId: crypto.randomUUID(), sent: 0 }));
    const send = async (lane: number) => {
      const current = state[lane] as (typeof state)[number];
      const { completedBySession } = lanes[lane] as SocketLane;
      if (current.sent > 0 && current.sent % plan.turnsPerSession === 0)
        current.sessionId = crypto.randomUUID();
      current.sent++;
      const { sessionId } = current;
      const turn = await timeSocketTurn(current.socket, sessionId, plan.message);
      if (turn.ok) completedBySession.set(sessionId, (completedBySession.get(sessionId) ?? 0) + 1);
      return turn;
    };

    await Promise.all(
      lanes.map(async (_, lane) => {
        for (let turn = 0; turn < plan.warmupTurns; turn++) await send(lane);
      }),
    );
    const startedAt = now();
    await Promise.all(
      lanes.map(async (lane, index) => {
        while (plan.more(lane.turns.length, now() - startedAt)) lane.turns.push(await send(index));
      }),
    );
    return { lanes, measuredMs: now() - startedAt };
  } finally {
    await Promise.all(sockets.map((socket) => socket.close()));
  }
}

/** What socket lanes measured, as the results file reports it. */
export interface SocketFigures {
  turns: number;
  errors: number;
  errorCodes: Record<string, number>;
  /** Client send to the first token frame. */
  firstTokenMs: Summary;
  /** Client send to `done`. */
  doneMs: Summary;
  /** Completed turns per second of measured wall time. */
  turnsPerSecond: number;
}

export function toSocketFigures(turns: readonly SocketTurn[], measuredMs: number): SocketFigures {
  const errorCodes: Record<string, number> = {};
  for (const turn of turns) {
    if (!turn.ok) errorCodes[turn.code ?? 'UNKNOWN'] = (errorCodes[turn.code ?? 'UNKNOWN'] ?? 0) + 1;
  }
  const ok = turns.filter((turn) => turn.ok);
  return {
    turns: turns.length,
    errors: turns.length - ok.length,
    errorCodes,
    firstTokenMs: summarize(
      ok.flatMap((turn) => (turn.firstTokenMs === undefined ? [] : [turn.firstTokenMs])),
    ),
    doneMs: summarize(ok.flatMap((turn) => (turn.doneMs === undefined ? [] : [turn.doneMs]))),
    turnsPerSecond: measuredMs === 0 ? 0 : round(ok.length / (measuredMs / 1000)),
  };
}
