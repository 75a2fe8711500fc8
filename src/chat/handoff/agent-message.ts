import type { AgentFrame } from '../../protocol/handoff-frames.ts';
import { HandoffAlreadyClaimedError, HandoffNotFoundError, HandoffTooLongError } from '../errors.ts';
import type { Reply } from '../ports.ts';
import { assertAgent } from './agent-role.ts';
import { fitsHandoff, MAX_HANDOFF_MESSAGE_BYTES } from './handoff-bound.ts';
import type { HandoffDependencies } from './handoff-dependencies.ts';

/**
 * An agent's reply: recorded in the handoff (who, when, what), then sent as an `agent` frame to every open
 * connection of the user, and echoed to the agent as confirmation. Only the agent who claimed it may reply,
 * and only while what was said fits the handoff's bound (HANDOFF_TOO_LONG otherwise; nothing is lost).
 */
export async function sendAgentMessage(
  deps: HandoffDependencies,
  request: {
    sessionId: string;
    message: string;
    userId: string | undefined;
    groups: readonly string[];
    reply: Reply;
  },
): Promise<void> {
  const agentId = assertAgent(request.userId, request.groups);
  const at = deps.clock.now();
  const event = { kind: 'agentMessage', by: agentId, at, text: request.message } as const;
  const handoff = await deps.queue.append(request.sessionId, event, agentId);
  if (!handoff) {
    const current = await deps.queue.find(request.sessionId);
    if (current?.status === 'claimed' && current.agentId === agentId && !fitsHandoff(current.events, event)) {
      throw new HandoffTooLongError(MAX_HANDOFF_MESSAGE_BYTES, 'agent');
    }
    if (current?.status === 'claimed' && current.agentId !== undefined) {
      throw new HandoffAlreadyClaimedError(current.agentId);
    }
    throw new HandoffNotFoundError(current ? 'Claim this conversation before replying.' : undefined);
  }
  const frame: AgentFrame = {
    type: 'agent',
    sessionId: request.sessionId,
    agentId,
    message: request.message,
    at,
  };
  await Promise.all([deps.broadcast.toUser(handoff.userId, frame), request.reply.send(frame)]);
}
