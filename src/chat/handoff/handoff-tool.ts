import * as z from 'zod/mini';
import { createToolRegistry, type Tool, type ToolRegistry } from '../tools/registry.ts';
import { withTools } from '../tools/with-tools.ts';
import type { HandoffDependencies } from './handoff-dependencies.ts';
import { requestHandoff } from './request-handoff.ts';

/** Why a conversation goes to a person; a closed set, so metrics by reason stay a handful of series. */
export const HANDOFF_REASONS = ['user_request', 'low_confidence', 'sensitive_topic', 'other'] as const;

const input = z.object({
  reason: z
    .enum(HANDOFF_REASONS)
    .check(
      z.describe(
        'user_request: the user asked for a human, a person or an agent; low_confidence: you could not find a reliable answer; sensitive_topic: a person should decide; other.',
      ),
    ),
  summary: z
    .string()
    .check(
      z.minLength(1),
      z.maxLength(2_000),
      z.describe('A few sentences for the human agent: what the user wants and what was tried so far.'),
    ),
});

/** The request a `handoff_to_human` call hands off. */
export interface HandoffToolBinding {
  sessionId: string;
  userId: string;
  expiresAt: number;
  /** Runs first: e.g. the asking connection enters the registry, so it gets the `handoff` frames. */
  beforeHandoff?: () => Promise<void>;
}

/**
 * A signed-in user's turn tools: the container's, plus `handoff_to_human` bound to this request. The Lambda and
 * the fixture recorder both build them here, so recorded requests offer exactly the tools a turn offers.
 */
export function withHandoffTool(
  base: ToolRegistry,
  deps: HandoffDependencies,
  binding: HandoffToolBinding,
): ToolRegistry {
  return withTools(base, createToolRegistry([createHandoffTool(deps, binding)]));
}

/** `handoff_to_human`, bound to one request's session and user. */
export function createHandoffTool(
  deps: HandoffDependencies,
  context: HandoffToolBinding,
): Tool<z.infer<typeof input>> {
  return {
    name: 'handoff_to_human',
    description:
      'Hand the conversation to a human support agent. Call it when the user asks for a human, a person or an agent, or when you cannot help reliably. Then tell the user briefly that a person will join.',
    input,
    status: 'Asking a person to join…',
    async run({ reason, summary }) {
      await context.beforeHandoff?.();
      const { position, alreadyOpen } = await requestHandoff(deps, {
        sessionId: context.sessionId,
        userId: context.userId,
        reason,
        summary,
        expiresAt: context.expiresAt,
      });
      return {
        status: alreadyOpen ? 'already_handed_off' : 'queued',
        position,
        instructions:
          'Tell the user a person will join shortly, their place in line, and that they can cancel to come back to you.',
      };
    },
  };
}
