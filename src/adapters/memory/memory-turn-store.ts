import type { StoredTurn, TurnStore } from '../../chat/ports.ts';
import { mayUseTurn } from '../../chat/turn-ownership.ts';

/** Turn items in a Map, with the same conditions as the DynamoDB store; for unit tests, the recorder and benchmarks. */
export function createMemoryTurnStore(): TurnStore & { readonly items: Map<string, StoredTurn> } {
  const items = new Map<string, StoredTurn>();
  const key = (sessionId: string, turnId: string) => `${sessionId}/${turnId}`;
  const update = (sessionId: string, turnId: string, change: (turn: StoredTurn) => StoredTurn) => {
    const current = items.get(key(sessionId, turnId));
    if (current) items.set(key(sessionId, turnId), change(current));
  };
  return {
    items,
    async claim(turn) {
      const id = key(turn.sessionId, turn.turnId);
      // A claim repeated by the run that made it (a retried request) is its own.
      if (items.has(id)) return items.get(id)?.runId === turn.runId;
      items.set(id, structuredClone(turn));
      return true;
    },
    async leased(sessionId, nowMs) {
      return [...items.values()]
        .filter((turn) => turn.sessionId === sessionId && turn.leaseUntil > nowMs)
        .map((turn) => structuredClone(turn));
    },
    async find(sessionId, turnId) {
      const turn = items.get(key(sessionId, turnId));
      return turn && structuredClone(turn);
    },
    async takeOver(sessionId, turnId, fromRunId, lease) {
      const current = items.get(key(sessionId, turnId));
      if (current?.runId === lease.runId) return true;
      if (current?.runId !== fromRunId) return false;
      const { stop: _stop, ...rest } = current;
      items.set(key(sessionId, turnId), { ...rest, ...lease });
      return true;
    },
    async release(sessionId, turnId, runId) {
      update(sessionId, turnId, (turn) => (turn.runId === runId ? { ...turn, leaseUntil: 0 } : turn));
    },
    async discard(sessionId, turnId, runId) {
      if (items.get(key(sessionId, turnId))?.runId === runId) items.delete(key(sessionId, turnId));
    },
    async requestStop(sessionId, turnId, ownerId, request) {
      const turn = items.get(key(sessionId, turnId));
      if (!turn) return 'absent';
      if (!mayUseTurn(turn, ownerId)) return 'forbidden';
      items.set(key(sessionId, turnId), { ...turn, stop: { ...request, runId: turn.runId } });
      return 'requested';
    },
    async findStop(sessionId, turnId) {
      const stop = items.get(key(sessionId, turnId))?.stop;
      return stop && { ...stop };
    },
  };
}
