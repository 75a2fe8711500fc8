import type { HandoffDependencies } from './handoff-dependencies.ts';
import { handoffFrameOf, publishQueue } from './handoff-dependencies.ts';
import type { StoredHandoff } from './handoff-ports.ts';

export interface HandoffRequest {
  sessionId: string;
  userId: string;
  reason: string;
  summary: string;
  /** Epoch seconds when the handoff expires if nobody acts on it (the session's expiry). */
  expiresAt: number;
}

/** What a server rule (low confidence, negative feedback) that may hand a conversation off is asked with. */
export interface HandoffRuleRequest {
  sessionId: string;
  userId: string;
  /** Epoch seconds, as in HandoffRequest. */
  expiresAt: number;
  /** Runs before the handoff is queued: e.g. the asking connection enters the registry. */
  beforeHandoff?: () => Promise<void>;
}

/**
 * Queues the conversation for a person; the user's open connections (every tab) learn their place in line and
 * the agents the new queue. A session already handed off keeps its place. Returns the user's position (0 when
 * a person already has the conversation).
 */
export async function requestHandoff(
  deps: HandoffDependencies,
  request: HandoffRequest,
): Promise<{ position: number; alreadyOpen: boolean }> {
  const queuedAt = deps.clock.now();
  const handoff: StoredHandoff = {
    sessionId: request.sessionId,
    userId: request.userId,
    reason: request.reason,
    summary: request.summary,
    status: 'queued',
    queuedAt,
    events: [{ kind: 'queued', by: request.userId, at: queuedAt, text: request.reason }],
    expiresAt: request.expiresAt,
  };
  const opened = await deps.queue.open(handoff);
  if (opened) {
    const [queue] = await Promise.all([publishQueue(deps), deps.observer?.queued?.(handoff)]);
    return { position: handoffFrameOf(handoff, queue).position ?? 0, alreadyOpen: false };
  }
  const [current, queue] = await Promise.all([deps.queue.find(request.sessionId), deps.queue.list()]);
  if (!current) return { position: 0, alreadyOpen: true };
  const frame = handoffFrameOf(current, queue);
  await deps.broadcast.toUser(request.userId, frame);
  return { position: frame.position ?? 0, alreadyOpen: true };
}
