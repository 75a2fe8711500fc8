import type { Message } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
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

  it('keeps the cached prefix byte-identical from one turn to the next, so the next turn reads it', () => {
    for (let turns = 2; turns < 8; turns++) {
      const now = placeCachePoints(prompt(turns), { minTokens: 300, stableMessages: turns * 2 });
      const next = placeCachePoints(prompt(turns + 1), { minTokens: 300, stableMessages: (turns + 1) * 2 });
      // What this turn cached: tools, system, and the messages up to its checkpoint (without the marker).
      const cached = JSON.stringify([now.tools, now.system, now.messages.slice(0, turns * 2 - 1)]);
      const nextPrefix = JSON.stringify([next.tools, next.system, next.messages.slice(0, turns * 2 - 1)]);
      expect(nextPrefix).toBe(cached);
      const lastCached = now.messages[turns * 2 - 1]?.content?.slice(0, -1);
      expect(next.messages[turns * 2 - 1]?.content).toEqual(lastCached);
    }
  });
});
