import type { HistoryFrame } from '../../protocol/server-frame.ts';
import type { Reply } from '../ports.ts';
import { foldedTurnId } from './fold-handoff.ts';
import { isHandoffMessage } from './handoff-bound.ts';
import { type HandoffDependencies, handoffFrameOf } from './handoff-dependencies.ts';
import type { StoredHandoff } from './handoff-ports.ts';

/**
 * After a history (`getHistory`, a `resume` and its answer, a `switchBranch`): the conversation's open handoff
 * as a `handoff` frame, when there is one and it is the caller's, so a reloaded tab shows "Waiting for a person"
 * or who has the conversation, and what was said with the person so far (`messages`). Nothing otherwise, and nothing when
 * the history already holds the handoff's words: it closed between the two reads (release folds them in).
 */
export async function sendOpenHandoff(
  deps: Pick<HandoffDependencies, 'queue'>,
  request: {
    handoff: StoredHandoff | undefined;
    /** The history read at the same time as the handoff (getHistory); absent when it was read before it. */
    history?: HistoryFrame;
    userId: string | undefined;
    reply: Reply;
  },
): Promise<void> {
  const { handoff } = request;
  if (request.userId === undefined || !handoff || handoff.userId !== request.userId) return;
  const folded = foldedTurnId(handoff);
  if (request.history?.messages.some((entry) => entry.turnId === folded)) return;
  const queue = handoff.status === 'queued' ? await deps.queue.list() : [];
  await request.reply.send({
    ...handoffFrameOf(handoff, queue),
    messages: handoff.events.filter(isHandoffMessage),
  });
}

/**
 * As `sendOpenHandoff`, reading the handoff first: after a history read before it (`resume`, `switchBranch`),
 * so a handoff still open cannot have been folded into that history. A failed read sends nothing: the tab
 * learns its handoff from the next frame about it.
 */
export async function readAndSendOpenHandoff(
  deps: Pick<HandoffDependencies, 'queue'>,
  request: { sessionId: string; userId: string | undefined; reply: Reply },
): Promise<void> {
  if (request.userId === undefined) return;
  const handoff = await deps.queue.find(request.sessionId).catch(() => undefined);
  await sendOpenHandoff(deps, { handoff, userId: request.userId, reply: request.reply });
}
