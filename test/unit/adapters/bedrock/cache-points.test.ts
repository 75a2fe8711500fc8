import type { Message } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import type { ConverseBody } from '../../../../emulator/bedrock-types.ts';
import type { CatalogueModel } from '../../../../emulator/models/model-catalogue.ts';
import { createPromptCache } from '../../../../emulator/prompt-cache.ts';
import { type CacheablePrompt, placeCachePoints } from '../../../../src/adapters/bedrock/cache-points.ts';

const tools = [{ toolSpec: { name: 'kb_lookup', description: 'd'.repeat(400), inputSchema: { json: {} } } }];
const turn = (n: number): Message[] => [
  { role: 'user', content: [{ text: `question ${n} ${'q'.repeat(200)}` }] },
  { role: 'assistant', content: [{ text: `answer ${n} ${'a'.repeat(600)}` }] },
];
const history = (turns: number) => Array.from({ length: turns }, (_, i) => turn(i + 1)).flat();
const prompt = (turns: number, system = 'You are helpful. '.repeat(40)): CacheablePrompt => ({
  tools,
  system: [{ text: system }, { text: 'What you remember about this user:\n- teal' }],
  messages: [...history(turns), { role: 'user', content: [{ text: `question ${turns + 1}` }] }],
});
const cachePoints = (p: CacheablePrompt) => JSON.stringify(p).split('"cachePoint"').length - 1;

describe('placeCachePoints', () => {
  it('places nothing for a model without prompt caching', () => {
    expect(placeCachePoints(prompt(5), { stableMessages: 10 })).toEqual(prompt(5));
  });

  it('puts a checkpoint after the configured prompt and tools, before the per-user blocks, when they reach the minimum', () => {
    const placed = placeCachePoints(prompt(0), { minTokens: 200 });
    expect(placed.system).toEqual([
      prompt(0).system[0],
      { cachePoint: { type: 'default' } },
      prompt(0).system[1],
    ]);
    expect(cachePoints(placeCachePoints(prompt(0), { minTokens: 2_000 }))).toBe(0);
  });

  it('puts a checkpoint after the stable history, only once it reaches the minimum since the previous one', () => {
    const placed = placeCachePoints(prompt(3), { minTokens: 300, stableMessages: 6 });
    expect(placed.messages[5]?.content?.at(-1)).toEqual({ cachePoint: { type: 'default' } });
    expect(placed.messages[6]).toEqual(prompt(3).messages[6]);
    expect(cachePoints(placeCachePoints(prompt(1), { minTokens: 1_000, stableMessages: 2 }))).toBe(0);
    expect(cachePoints(placeCachePoints(prompt(5), { minTokens: 1_000, stableMessages: 10 }))).toBe(1);
  });

  it('marks the same places turn after turn, their prefixes byte-identical, so each turn reads what one before wrote', () => {
    const marks = (p: CacheablePrompt) =>
      p.messages.flatMap((message, index) =>
        message.content?.some((block) => 'cachePoint' in block) ? [index] : [],
      );
    const unmarked = (p: CacheablePrompt, through: number) =>
      JSON.stringify(
        p.messages
          .slice(0, through + 1)
          .map((m) => ({ ...m, content: m.content?.filter((b) => !('cachePoint' in b)) })),
      );
    for (let turns = 3; turns < 12; turns++) {
      const now = placeCachePoints(prompt(turns), { minTokens: 300, stableMessages: turns * 2 });
      const next = placeCachePoints(prompt(turns + 1), { minTokens: 300, stableMessages: (turns + 1) * 2 });
      // The next turn's first mark is one this turn made (it reads it), with the same bytes before it.
      const [read] = marks(next);
      expect(marks(now)).toContain(read);
      expect(unmarked(next, read as number)).toBe(unmarked(now, read as number));
      expect(JSON.stringify([next.tools, next.system])).toBe(JSON.stringify([now.tools, now.system]));
    }
  });

  it("reads from the cache on every turn once the history reaches the minimum, by the emulator's accounting", () => {
    const cache = createPromptCache(() => 0);
    const model = {
      promptCaching: {
        minTokensPerCheckpoint: 300,
        maxCheckpoints: 4,
        fields: ['system', 'messages', 'tools'],
      },
    };
    const reads = Array.from({ length: 12 }, (_, turns) => {
      const placed = placeCachePoints(prompt(turns), { minTokens: 300, stableMessages: turns * 2 });
      const body = { system: placed.system, messages: placed.messages, toolConfig: { tools: placed.tools } };
      return cache.account('m', body as ConverseBody, model as unknown as CatalogueModel)
        .cacheReadInputTokens;
    });
    // The first turns write (nothing to read yet); from the third on, every turn reads more than the last.
    expect(reads.slice(0, 2)).toEqual([0, 0]);
    for (let turn = 2; turn < reads.length; turn++) expect(reads[turn]).toBeGreaterThan(0);
    expect(reads.at(-1)).toBeGreaterThan(reads[2] as number);
  });
});
