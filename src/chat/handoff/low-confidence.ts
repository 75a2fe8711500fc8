import { isToolResultBlock, isToolUseBlock, type Message } from '../messages.ts';
import type { HandoffDependencies } from './handoff-dependencies.ts';
import { type HandoffRuleRequest, requestHandoff } from './request-handoff.ts';

const KB_TOOL = 'kb_lookup';

/**
 * How many of the conversation's latest turns in a row asked the knowledge base and found nothing relevant
 * (every `kb_lookup` of the turn came back without passages). A turn that did not ask it ends the run.
 */
export function knowledgeBaseMissesInARow(messages: readonly Message[]): number {
  let misses = 0;
  for (const turn of turnsOf(messages).reverse()) {
    const lookups = new Set(
      turn.flatMap((message) =>
        message.content
          .filter(isToolUseBlock)
          .flatMap((block) => (block.toolUse.name === KB_TOOL ? [block.toolUse.toolUseId] : [])),
      ),
    );
    const results = turn.flatMap((message) =>
      message.content.filter(isToolResultBlock).filter((block) => lookups.has(block.toolResult.toolUseId)),
    );
    const foundNothing = (block: (typeof results)[number]) =>
      block.toolResult.status === 'success' &&
      block.toolResult.content.some(
        (content) =>
          'json' in content && Array.isArray(content.json.passages) && content.json.passages.length === 0,
      );
    if (results.length === 0 || !results.every(foundNothing)) break;
    misses++;
  }
  return misses;
}

/** The messages of each turn, oldest first: a turn starts at a question (a user message with its turn id). */
function turnsOf(messages: readonly Message[]): Message[][] {
  const turns: Message[][] = [];
  for (const message of messages) {
    const startsTurn = message.role === 'user' && message.turnId !== undefined;
    if (startsTurn || turns.length === 0) turns.push([message]);
    else turns[turns.length - 1]?.push(message);
  }
  return turns;
}

/**
 * The server's own "low confidence" rule (issue 16): after a turn, when the knowledge base has found nothing
 * relevant for `afterMisses` questions in a row, the conversation goes to a person with the reason
 * `low_confidence` (unless it already is with one). Returns whether it handed off.
 */
export async function handOffOnLowConfidence(
  deps: HandoffDependencies,
  request: HandoffRuleRequest & { afterMisses: number },
): Promise<boolean> {
  if (request.afterMisses < 1) return false;
  const session = await deps.sessions.load(request.sessionId);
  if (!session || session.ownerId !== request.userId) return false;
  const misses = knowledgeBaseMissesInARow(session.messages);
  if (misses < request.afterMisses) return false;
  if (await deps.queue.find(request.sessionId)) return false;
  const questions = session.messages
    .filter((message) => message.role === 'user' && message.turnId !== undefined)
    .slice(-misses)
    .map((message) => `“${textOf(message).slice(0, 300)}”`);
  await request.beforeHandoff?.();
  await requestHandoff(deps, {
    sessionId: request.sessionId,
    userId: request.userId,
    reason: 'low_confidence',
    summary: `The knowledge base found nothing relevant for the user's last ${misses} questions: ${questions.join(' · ')}`,
    expiresAt: request.expiresAt,
  });
  return true;
}

const textOf = (message: Message) =>
  message.content.flatMap((block) => ('text' in block ? [block.text] : [])).join(' ');
