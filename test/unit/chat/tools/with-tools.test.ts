import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  createToolContext,
  createToolRegistry,
  type ToolContext,
} from '../../../../src/chat/tools/registry.ts';
import { withTools } from '../../../../src/chat/tools/with-tools.ts';

const tool = (name: string, says: string) => ({
  name,
  description: name,
  input: z.object({}),
  status: `${name}…`,
  run: async (_input: unknown, _signal: AbortSignal, context: ToolContext) => ({
    says,
    userId: context.userId,
  }),
});

describe('withTools', () => {
  it('offers both registries’ tools and runs each call with the registry that has it, in the turn’s context', async () => {
    const base = createToolRegistry([tool('current_time', 'base')]);
    const combined = withTools(base, createToolRegistry([tool('handoff_to_human', 'extra')]));
    const signal = new AbortController().signal;
    const context = createToolContext('user-1');

    expect(combined.specs.map((spec) => spec.name)).toEqual(['current_time', 'handoff_to_human']);
    expect(combined.statusFor('handoff_to_human')).toBe('handoff_to_human…');
    const result = await combined.run(
      { toolUseId: 't', name: 'handoff_to_human', input: {} },
      signal,
      context,
    );
    expect(result.toolResult.content).toEqual([{ json: { says: 'extra', userId: 'user-1' } }]);
    const baseResult = await combined.run(
      { toolUseId: 't', name: 'current_time', input: {} },
      signal,
      context,
    );
    expect(baseResult.toolResult.content).toEqual([{ json: { says: 'base', userId: 'user-1' } }]);
  });
});
