import type { Reply } from '../ports.ts';
import { assertAgent } from './agent-role.ts';
import { type HandoffDependencies, toEntry } from './handoff-dependencies.ts';

/**
 * The agents' queue: every open handoff, oldest first, with the reason and the assistant's summary, and who is
 * asking (the console's own conversations are those it names).
 */
export async function listHandoffs(
  deps: HandoffDependencies,
  request: { userId: string | undefined; groups: readonly string[]; reply: Reply },
): Promise<void> {
  const agentId = assertAgent(request.userId, request.groups);
  const queue = await deps.queue.list();
  await request.reply.send({
    type: 'handoffs',
    sessionId: null,
    handoffs: queue.map(toEntry),
    at: deps.clock.now(),
    agentId,
  });
}
