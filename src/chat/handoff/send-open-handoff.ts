import type { Reply } from '../ports.ts';
import { type HandoffDependencies, handoffFrameOf } from './handoff-dependencies.ts';

/**
 * After a history: the conversation's open handoff as a `handoff` frame, when there is one and it is the
 * caller's, so a reloaded tab shows "Waiting for a person" or who has the conversation. Nothing otherwise.
 */
export async function sendOpenHandoff(
  deps: Pick<HandoffDependencies, 'queue'>,
  request: { sessionId: string; userId: string | undefined; reply: Reply },
): Promise<void> {
  if (request.userId === undefined) return;
  const handoff = await deps.queue.find(request.sessionId);
  if (!handoff || handoff.userId !== request.userId) return;
  const queue = handoff.status === 'queued' ? await deps.queue.list() : [];
  await request.reply.send(handoffFrameOf(handoff, queue));
}
