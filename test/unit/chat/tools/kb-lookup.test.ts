import { describe, expect, it } from 'vitest';
import type { KnowledgeBase, Passage, RetrievalRequest } from '../../../../src/chat/ports.ts';
import {
  createKbLookupTool,
  DEFAULT_KB_LOOKUP_SETTINGS,
  NOTHING_RELEVANT,
} from '../../../../src/chat/tools/kb-lookup.ts';
import { createToolContext, createToolRegistry } from '../../../../src/chat/tools/registry.ts';

const passage = (id: string, score: number, extra: Partial<Passage> = {}): Passage => ({
  id,
  text: `Text of ${id}.`,
  source: `s3://kb/${id}.md`,
  title: `Title ${id}`,
  score,
  ...extra,
});

function knowledgeBaseAnswering(passages: Passage[]) {
  const asked: RetrievalRequest[] = [];
  const knowledgeBase: KnowledgeBase = {
    retrieve: async (request) => {
      asked.push(request);
      return passages;
    },
  };
  return { knowledgeBase, asked };
}

describe('kb_lookup', () => {
  it('returns numbered passages with ids, titles, sources and rounded scores, and how to cite them', async () => {
    const { knowledgeBase, asked } = knowledgeBaseAnswering([
      passage('a', 0.812345678, { url: 'https://docs.example.com/a' }),
      passage('b', 0.6),
    ]);
    const registry = createToolRegistry([
      createKbLookupTool(knowledgeBase, { ...DEFAULT_KB_LOOKUP_SETTINGS, numberOfResults: 3 }),
    ]);

    const result = await registry.run(
      { toolUseId: 't', name: 'kb_lookup', input: { query: '  reset password ' } },
      new AbortController().signal,
      createToolContext('user-1'),
    );

    expect(asked).toEqual([{ query: 'reset password', numberOfResults: 3 }]);
    expect(result.toolResult.content).toEqual([
      {
        json: {
          passages: [
            {
              n: 1,
              id: 'a',
              title: 'Title a',
              source: 's3://kb/a.md',
              url: 'https://docs.example.com/a',
              score: 0.8123,
              text: 'Text of a.',
            },
            { n: 2, id: 'b', title: 'Title b', source: 's3://kb/b.md', score: 0.6, text: 'Text of b.' },
          ],
          citeAs: expect.stringContaining('[1]'),
        },
      },
    ]);
  });

  it('numbers passages across the searches of one turn, and gives a passage found twice its first number', async () => {
    const first = knowledgeBaseAnswering([passage('a', 0.9), passage('b', 0.8)]);
    const second = knowledgeBaseAnswering([passage('c', 0.9), passage('a', 0.7)]);
    const context = createToolContext('user-1');
    const signal = new AbortController().signal;

    await createKbLookupTool(first.knowledgeBase).run({ query: 'one' }, signal, context);
    const again = await createKbLookupTool(second.knowledgeBase).run({ query: 'two' }, signal, context);

    expect((again.passages as Array<{ n: number; id: string }>).map(({ n, id }) => [n, id])).toEqual([
      [3, 'c'],
      [1, 'a'],
    ]);
  });

  it('says nothing relevant was found when every passage scores below the threshold', async () => {
    const { knowledgeBase } = knowledgeBaseAnswering([passage('a', 0.39), passage('b', 0.2)]);
    const tool = createKbLookupTool(knowledgeBase, { numberOfResults: 5, minScore: 0.4 });

    const result = await tool.run(
      { query: 'capital of France' },
      new AbortController().signal,
      createToolContext('user-1'),
    );

    expect(result).toEqual({ passages: [], note: NOTHING_RELEVANT });
  });

  it('keeps only the passages at or above the threshold', async () => {
    const { knowledgeBase } = knowledgeBaseAnswering([
      passage('a', 0.41),
      passage('b', 0.4),
      passage('c', 0.39),
    ]);
    const tool = createKbLookupTool(knowledgeBase, { numberOfResults: 5, minScore: 0.4 });

    const result = await tool.run({ query: 'q' }, new AbortController().signal, createToolContext('user-1'));

    expect((result.passages as Array<{ id: string }>).map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('passes the configured search type, filter and reranker, and narrows by the area the model names', async () => {
    const { knowledgeBase, asked } = knowledgeBaseAnswering([]);
    const filter = { equals: { key: 'audience', value: 'members' } };
    const tool = createKbLookupTool(knowledgeBase, {
      numberOfResults: 8,
      minScore: 0,
      searchType: 'HYBRID',
      filter,
      areaKey: 'category',
      rerankModelArn: 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0',
    });
    const signal = new AbortController().signal;

    await tool.run({ query: 'refund', area: 'billing' }, signal, createToolContext('user-1'));
    await tool.run({ query: 'refund' }, signal, createToolContext('user-1'));

    expect(asked).toEqual([
      {
        query: 'refund',
        numberOfResults: 8,
        searchType: 'HYBRID',
        filter: { andAll: [filter, { equals: { key: 'category', value: 'billing' } }] },
        rerankModelArn: 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0',
      },
      {
        query: 'refund',
        numberOfResults: 8,
        searchType: 'HYBRID',
        filter,
        rerankModelArn: 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0',
      },
    ]);
  });

  it('offers the model an area only when a metadata key is configured for it', () => {
    const { knowledgeBase } = knowledgeBaseAnswering([]);
    const [plain] = createToolRegistry([createKbLookupTool(knowledgeBase)]).specs;
    const [withArea] = createToolRegistry([
      createKbLookupTool(knowledgeBase, { ...DEFAULT_KB_LOOKUP_SETTINGS, areaKey: 'category' }),
    ]).specs;
    expect(Object.keys((plain?.inputSchema.properties ?? {}) as object)).toEqual(['query']);
    expect(Object.keys((withArea?.inputSchema.properties ?? {}) as object)).toEqual(['query', 'area']);
  });

  it('refuses an empty query', async () => {
    const registry = createToolRegistry([createKbLookupTool({ retrieve: async () => [] })]);
    const result = await registry.run(
      { toolUseId: 't', name: 'kb_lookup', input: { query: '   ' } },
      new AbortController().signal,
      createToolContext('user-1'),
    );
    expect(result.toolResult.status).toBe('error');
  });
});
