import { HandoffAlreadyClaimedError, HandoffNotFoundError } from '../errors.ts';
import type { Reply } from '../ports.ts';
import { toHistoryEntries } from '../read-history.ts';
import { assertAgent } from './agent-role.ts';
import { type HandoffDependencies, handoffFrameOf, publishQueue, toEntry } from './handoff-dependencies.ts';

/**
 * An agent takes a queued conversation (one agent at a time: a conditional write). They get its transcript,
 * the assistant's summary and what happened since; the user's tabs learn who has it. Claiming again a
 * conversation one already has sends the transcript again (a reloaded console).
 */
export async function claimHandoff(
  deps: HandoffDependencies,
  request: { sessionId: string; userId: string | undefined; groups: readonly string[]; reply: Reply },
): Promise<void> {
  const agentId = assertAgent(request.userId, request.groups);
  const at = deps.clock.now();
  const claim = await deps.queue.claim(request.sessionId, { kind: 'claimed', by: agentId, at });
  if (claim.outcome === 'absent') throw new HandoffNotFoundError();
  if (claim.outcome === 'taken') throw new HandoffAlreadyClaimedError(claim.agentId);
  const { handoff } = claim;
  const session = await deps.sessions.load(handoff.sessionId);
  await request.reply.send({
    type: 'transcript',
    sessionId: handoff.sessionId,
    handoff: toEntry(handoff),
    messages: session ? toHistoryEntries(session.messages) : [],
    events: handoff.events,
  });
  if (handoff.claimedAt !== at) return;
  await Promise.all([
    deps.observer?.claimed?.(handoff, at - handoff.queuedAt),
    deps.broadcast.toUser(handoff.userId, handoffFrameOf(handoff, [])),
    publishQueue(deps),
  ]);
}
