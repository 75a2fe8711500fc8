import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { createToolRegistry } from '../../../../src/chat/tools/registry.ts';
import { withTools } from '../../../../src/chat/tools/with-tools.ts';

const tool = (name: string, says: string) => ({
  name,
  description: name,
  input: z.object({}),
  status: `${name}…`,
  run: async () => ({ says }),
});

describe('withTools', () => {
  it('offers both registries’ tools and runs each call with the registry that has it', async () => {
    const base = createToolRegistry([tool('current_time', 'base')]);
    const combined = withTools(base, createToolRegistry([tool('handoff_to_human', 'extra')]));
    const signal = new AbortController().signal;

    expect(combined.specs.map((spec) => spec.name)).toEqual(['current_time', 'handoff_to_human']);
    expect(combined.statusFor('handoff_to_human')).toBe('handoff_to_human…');
    const result = await combined.run({ toolUseId: 't', name: 'handoff_to_human', input: {} }, signal);
    expect(result.toolResult.content).toEqual([{ json: { says: 'extra' } }]);
    const baseResult = await combined.run({ toolUseId: 't', name: 'current_time', input: {} }, signal);
    expect(baseResult.toolResult.content).toEqual([{ json: { says: 'base' } }]);
  });
});
