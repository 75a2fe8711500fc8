import { ForbiddenError, HandoffTooLongError } from '../errors.ts';
import type { Reply } from '../ports.ts';
import { fitsHandoff, MAX_HANDOFF_MESSAGE_BYTES } from './handoff-bound.ts';
import { type HandoffDependencies, handoffFrameOf } from './handoff-dependencies.ts';
import type { StoredHandoff } from './handoff-ports.ts';

/**
 * A user's message while their conversation is with (or waiting for) a person: it goes to the agent, not the
 * model. It is recorded in the handoff; the agent who has it gets a `userMessage` frame (a queued one reads it
 * in the transcript on claiming); the sender gets a `handoff` frame carrying the turn id, instead of an answer.
 * A handoff that has reached its bound refuses it (HANDOFF_TOO_LONG): it is neither stored nor sent to the model.
 */
export async function relayUserMessage(
  deps: HandoffDependencies,
  handoff: StoredHandoff,
  request: { userId: string | undefined; message: string; turnId: string; reply: Reply },
): Promise<boolean> {
  if (handoff.userId !== request.userId) throw new ForbiddenError();
  const at = deps.clock.now();
  const event = { kind: 'userMessage', by: handoff.userId, at, text: request.message } as const;
  const recorded = await deps.queue.append(handoff.sessionId, event);
  if (!recorded) {
    // Still open, yet refused: it is full. Otherwise it closed meanwhile and the message goes to the model.
    const current = await deps.queue.find(handoff.sessionId);
    if (current && !fitsHandoff(current.events, event)) {
      throw new HandoffTooLongError(MAX_HANDOFF_MESSAGE_BYTES, 'user');
    }
    return false;
  }
  const current = recorded;
  const queue = current.status === 'queued' ? await deps.queue.list() : [];
  await Promise.all([
    request.reply.send({ ...handoffFrameOf(current, queue), turnId: request.turnId }),
    current.status === 'claimed' && current.agentId !== undefined
      ? deps.broadcast.toUser(current.agentId, {
          type: 'userMessage',
          sessionId: current.sessionId,
          userId: current.userId,
          message: request.message,
          at,
        })
      : undefined,
  ]);
  return true;
}
