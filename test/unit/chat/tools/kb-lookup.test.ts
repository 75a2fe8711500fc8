import { describe, expect, it } from 'vitest';
import type { KnowledgeBase } from '../../../../src/chat/ports.ts';
import { createKbLookupTool } from '../../../../src/chat/tools/kb-lookup.ts';
import { createToolRegistry } from '../../../../src/chat/tools/registry.ts';

describe('kb_lookup', () => {
  it('returns the passages the knowledge base ranks best, with sources and rounded scores', async () => {
    const asked: Array<[string, number]> = [];
    const knowledgeBase: KnowledgeBase = {
      retrieve: async (query, max) => {
        asked.push([query, max]);
        return [{ text: 'Open Settings.', source: 's3://kb/account.md', score: 0.812345678 }];
      },
    };
    const registry = createToolRegistry([createKbLookupTool(knowledgeBase, 3)]);

    const result = await registry.run(
      { toolUseId: 't', name: 'kb_lookup', input: { query: '  reset password ' } },
      new AbortController().signal,
      { userId: 'user-1' },
    );

    expect(asked).toEqual([['reset password', 3]]);
    expect(result.toolResult.content).toEqual([
      { json: { passages: [{ text: 'Open Settings.', source: 's3://kb/account.md', score: 0.8123 }] } },
    ]);
  });

  it('refuses an empty query', async () => {
    const registry = createToolRegistry([createKbLookupTool({ retrieve: async () => [] })]);
    const result = await registry.run(
      { toolUseId: 't', name: 'kb_lookup', input: { query: '   ' } },
      new AbortController().signal,
      { userId: 'user-1' },
    );
    expect(result.toolResult.status).toBe('error');
  });
});
