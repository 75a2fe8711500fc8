import type { HandoffEntry, HandoffFrame } from '../../protocol/handoff-frames.ts';
import type { Clock, SessionStore } from '../ports.ts';
import type { WindowSettings } from '../session.ts';
import type { Broadcast } from './broadcast.ts';
import type { HandoffQueue, StoredHandoff } from './handoff-ports.ts';

/**
 * Hooks for logs, metrics and the usage figures (handoffs by reason, time to claim, time to resolve). A hook
 * may return a promise (a count to write), which the action awaits beside its frames; it never throws.
 */
export interface HandoffObserver {
  queued?(handoff: StoredHandoff): void | Promise<void>;
  claimed?(handoff: StoredHandoff, waitedMs: number): void | Promise<void>;
  resolved?(
    handoff: StoredHandoff,
    outcome: 'released' | 'cancelled',
    durationMs: number,
  ): void | Promise<void>;
}

/** Everything the handoff actions use, built once per container. */
export interface HandoffDependencies {
  queue: HandoffQueue;
  broadcast: Broadcast;
  sessions: SessionStore;
  clock: Clock;
  settings: WindowSettings & { saveAttempts: number };
  observer?: HandoffObserver;
}

/** A handoff as the agents' queue shows it (its events stay with the session). */
export function toEntry(handoff: StoredHandoff): HandoffEntry {
  return {
    sessionId: handoff.sessionId,
    userId: handoff.userId,
    reason: handoff.reason,
    summary: handoff.summary,
    status: handoff.status,
    queuedAt: handoff.queuedAt,
    ...(handoff.agentId === undefined ? {} : { agentId: handoff.agentId }),
    ...(handoff.claimedAt === undefined ? {} : { claimedAt: handoff.claimedAt }),
  };
}

/** The user's view of an open handoff: queued with their place in line (1: next), or claimed by whom. */
export function handoffFrameOf(handoff: StoredHandoff, queue: readonly StoredHandoff[]): HandoffFrame {
  const base = { type: 'handoff', sessionId: handoff.sessionId, reason: handoff.reason } as const;
  if (handoff.status === 'claimed') return { ...base, status: 'claimed', agentId: handoff.agentId };
  const ahead = queue.filter((other) => other.status === 'queued' && other.queuedAt < handoff.queuedAt);
  return { ...base, status: 'queued', position: ahead.length + 1 };
}

/**
 * After the queue changed: every agent's console gets the queue as it is now, and every user still waiting
 * their new place in line. Returns the queue it read.
 */
export async function publishQueue(deps: HandoffDependencies): Promise<StoredHandoff[]> {
  const queue = await deps.queue.list();
  const waiting = queue.filter((handoff) => handoff.status === 'queued');
  await Promise.all([
    deps.broadcast.toAgents({
      type: 'handoffs',
      sessionId: null,
      handoffs: queue.map(toEntry),
      at: deps.clock.now(),
    }),
    ...waiting.map((handoff) => deps.broadcast.toUser(handoff.userId, handoffFrameOf(handoff, queue))),
  ]);
  return queue;
}
