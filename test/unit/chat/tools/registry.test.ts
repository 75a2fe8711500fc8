import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ToolError } from '../../../../src/chat/errors.ts';
import { createToolContext, createToolRegistry, type Tool } from '../../../../src/chat/tools/registry.ts';

const signal = new AbortController().signal;
const context = createToolContext('user-1');
const tool = (run: Tool<{ n: number }>['run']): Tool<{ n: number }> => ({
  name: 'double',
  description: 'Doubles n',
  input: z.object({ n: z.number().check(z.describe('the number')) }),
  status: 'Doubling…',
  run,
});

describe('createToolRegistry', () => {
  it("derives each tool's Bedrock spec from its input schema", () => {
    const registry = createToolRegistry([tool(async ({ n }) => ({ doubled: n * 2 }))]);
    expect(registry.specs).toEqual([
      {
        name: 'double',
        description: 'Doubles n',
        inputSchema: {
          type: 'object',
          properties: { n: { type: 'number', description: 'the number' } },
          required: ['n'],
        },
      },
    ]);
  });

  it('returns a success toolResult with the JSON the tool produced', async () => {
    const registry = createToolRegistry([tool(async ({ n }) => ({ doubled: n * 2 }))]);
    expect(await registry.run({ toolUseId: 'a', name: 'double', input: { n: 21 } }, signal, context)).toEqual(
      {
        toolResult: { toolUseId: 'a', content: [{ json: { doubled: 42 } }], status: 'success' },
      },
    );
  });

  it('reports input that fails validation as an error toolResult naming the field', async () => {
    const registry = createToolRegistry([tool(async () => ({}))]);
    const result = await registry.run(
      { toolUseId: 'a', name: 'double', input: { n: 'many' } },
      signal,
      context,
    );
    expect(result.toolResult.status).toBe('error');
    expect(result.toolResult.content).toEqual([
      { text: expect.stringMatching(/^Invalid input for double: n: /) },
    ]);
  });

  it('passes a ToolError message to the model, but hides unexpected failures behind a generic one', async () => {
    const expected = createToolRegistry([tool(async () => Promise.reject(new ToolError('n is too big')))]);
    const unexpected = createToolRegistry([
      tool(async () => Promise.reject(new Error('secret connection string'))),
    ]);
    const call = { toolUseId: 'a', name: 'double', input: { n: 1 } };

    expect((await expected.run(call, signal, context)).toolResult.content).toEqual([
      { text: 'n is too big' },
    ]);
    expect((await unexpected.run(call, signal, context)).toolResult.content).toEqual([
      { text: 'double failed; the service is unavailable.' },
    ]);
  });

  it('times a hanging tool out with an error result', async () => {
    const registry = createToolRegistry([tool(() => new Promise(() => {}))], { timeoutMs: 20 });
    const result = await registry.run({ toolUseId: 'a', name: 'double', input: { n: 1 } }, signal, context);
    expect(result.toolResult).toMatchObject({
      status: 'error',
      content: [{ text: 'The tool did not answer within 0.02 s.' }],
    });
  });

  it('gives each tool its own status line, and a generic one for unknown tools', () => {
    const registry = createToolRegistry([tool(async () => ({}))]);
    expect(registry.statusFor('double')).toBe('Doubling…');
    expect(registry.statusFor('mystery')).toBe('Running mystery…');
  });
});
