import type { Reply } from '../ports.ts';
import { type HandoffDependencies, handoffFrameOf } from './handoff-dependencies.ts';
import type { StoredHandoff } from './handoff-ports.ts';

/**
 * After a history: the conversation's open handoff (read beside the history, `find` below) as a `handoff`
 * frame, when there is one and it is the caller's, so a reloaded tab shows "Waiting for a person" or who has
 * the conversation. Nothing otherwise.
 */
export async function sendOpenHandoff(
  deps: Pick<HandoffDependencies, 'queue'>,
  request: { handoff: StoredHandoff | undefined; userId: string | undefined; reply: Reply },
): Promise<void> {
  const { handoff } = request;
  if (request.userId === undefined || !handoff || handoff.userId !== request.userId) return;
  const queue = handoff.status === 'queued' ? await deps.queue.list() : [];
  await request.reply.send(handoffFrameOf(handoff, queue));
}
