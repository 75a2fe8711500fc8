import type { HandoffEvent, HandoffFrame } from '../../protocol/handoff-frames.ts';
import { ForbiddenError, HandoffAlreadyClaimedError, HandoffNotFoundError } from '../errors.ts';
import { assertAgent } from './agent-role.ts';
import { foldHandoff } from './fold-handoff.ts';
import { type HandoffDependencies, publishQueue } from './handoff-dependencies.ts';
import type { StoredHandoff } from './handoff-ports.ts';

/**
 * `releaseHandoff`: the agent who has the conversation hands it back to the assistant, which then sees what
 * was said (folded into the session's window).
 */
export async function releaseHandoff(
  deps: HandoffDependencies,
  request: { sessionId: string; userId: string | undefined; groups: readonly string[] },
): Promise<void> {
  const agentId = assertAgent(request.userId, request.groups);
  const handoff = await deps.queue.find(request.sessionId);
  if (!handoff) throw new HandoffNotFoundError();
  if (handoff.status !== 'claimed') throw new HandoffNotFoundError('Claim this conversation first.');
  if (handoff.agentId !== agentId) throw new HandoffAlreadyClaimedError(handoff.agentId ?? 'someone');
  await closeHandoff(deps, handoff, { kind: 'released', by: agentId, at: deps.clock.now() });
}

/**
 * `cancelHandoff`: the user goes back to the assistant, queued or not; only the conversation's own user may.
 * Anything an agent already said is kept for the assistant, as on release.
 */
export async function cancelHandoff(
  deps: HandoffDependencies,
  request: { sessionId: string; userId: string | undefined },
): Promise<void> {
  const handoff = await deps.queue.find(request.sessionId);
  if (!handoff) throw new HandoffNotFoundError();
  // A stranger learns nothing about someone else's handoff beyond this refusal.
  if (handoff.userId !== request.userId) throw new ForbiddenError();
  await closeHandoff(deps, handoff, { kind: 'cancelled', by: handoff.userId, at: deps.clock.now() });
}

/** How often a close is tried again when the handoff changed under it (a message arrived meanwhile). */
const CLOSE_ATTEMPTS = 3;

async function closeHandoff(
  deps: HandoffDependencies,
  read: StoredHandoff,
  closing: HandoffEvent & { kind: 'released' | 'cancelled' },
): Promise<void> {
  let handoff = read;
  for (let attempt = 1; !(await deps.queue.close(handoff, closing)); attempt++) {
    const current = await deps.queue.find(handoff.sessionId);
    if (
      !current ||
      attempt >= CLOSE_ATTEMPTS ||
      current.status !== handoff.status ||
      current.agentId !== handoff.agentId
    ) {
      throw new HandoffNotFoundError('This conversation changed meanwhile; look again.');
    }
    handoff = current;
  }
  const observed = deps.observer?.resolved?.(handoff, closing.kind, closing.at - handoff.queuedAt);
  // After the close, so the assistant gets exactly the archived transcript, every late message included.
  await foldHandoff(deps, handoff, closing);
  const frame: HandoffFrame = {
    type: 'handoff',
    sessionId: handoff.sessionId,
    status: closing.kind,
    reason: handoff.reason,
    ...(handoff.agentId === undefined ? {} : { agentId: handoff.agentId }),
  };
  await Promise.all([deps.broadcast.toUser(handoff.userId, frame), publishQueue(deps), observed]);
}
