import { fitsHandoff } from '../../chat/handoff/handoff-bound.ts';
import type { HandoffQueue, StoredHandoff } from '../../chat/handoff/handoff-ports.ts';

/** Handoffs in a Map, with the same conditions as the DynamoDB queue; for unit tests. */
export function createMemoryHandoffQueue(): HandoffQueue & { readonly archive: StoredHandoff[] } {
  const items = new Map<string, StoredHandoff>();
  const archive: StoredHandoff[] = [];
  const find = async (sessionId: string) => {
    const handoff = items.get(sessionId);
    return handoff && structuredClone(handoff);
  };
  return {
    archive,
    async open(handoff) {
      if (items.has(handoff.sessionId)) return false;
      items.set(handoff.sessionId, structuredClone(handoff));
      return true;
    },
    find,
    async list() {
      return [...items.values()]
        .sort((a, b) => a.queuedAt - b.queuedAt)
        .map((handoff) => ({ ...structuredClone(handoff), events: [] }));
    },
    async claim(sessionId, event) {
      const current = items.get(sessionId);
      if (!current) return { outcome: 'absent' };
      if (current.status === 'claimed') {
        return current.agentId === event.by
          ? { outcome: 'claimed', handoff: structuredClone(current) }
          : { outcome: 'taken', agentId: current.agentId ?? 'someone' };
      }
      const claimed: StoredHandoff = {
        ...current,
        status: 'claimed',
        agentId: event.by,
        claimedAt: event.at,
        events: [...current.events, event],
      };
      items.set(sessionId, claimed);
      return { outcome: 'claimed', handoff: structuredClone(claimed) };
    },
    async append(sessionId, event, agentId) {
      const current = items.get(sessionId);
      if (!current) return undefined;
      if (agentId !== undefined && (current.status !== 'claimed' || current.agentId !== agentId)) {
        return undefined;
      }
      if (!fitsHandoff(current.events, event)) return undefined;
      const next = { ...current, events: [...current.events, event] };
      items.set(sessionId, next);
      return structuredClone(next);
    },
    async close(handoff, event) {
      const current = items.get(handoff.sessionId);
      if (
        !current ||
        current.status !== handoff.status ||
        current.queuedAt !== handoff.queuedAt ||
        current.events.length !== handoff.events.length
      ) {
        return false;
      }
      items.delete(handoff.sessionId);
      archive.push({ ...current, events: [...current.events, event] });
      return true;
    },
    async lastClosedAt(sessionId) {
      const closings = archive
        .filter((handoff) => handoff.sessionId === sessionId)
        .map((handoff) => handoff.events.at(-1)?.at ?? handoff.queuedAt);
      return closings.length ? Math.max(...closings) : undefined;
    },
    async discard(handoff) {
      items.delete(handoff.sessionId);
    },
  };
}
