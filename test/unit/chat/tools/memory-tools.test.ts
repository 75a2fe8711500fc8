import { describe, expect, it } from 'vitest';
import { createInMemoryMemoryStore } from '../../../../src/adapters/memory/memory-memory-store.ts';
import { createForgetTool } from '../../../../src/chat/tools/forget.ts';
import { createToolContext, createToolRegistry } from '../../../../src/chat/tools/registry.ts';
import { createRememberTool } from '../../../../src/chat/tools/remember.ts';
import { createFakeClock } from '../../../support/fakes.ts';

function setup(maxMemories = 3) {
  const memories = createInMemoryMemoryStore();
  // A second between saves, so memories list in the order they were told.
  const clock = createFakeClock();
  const ticking = {
    now: () => {
      clock.advance(1000);
      return clock.now();
    },
  };
  const registry = createToolRegistry([
    createRememberTool({ memories, clock: ticking, settings: { maxMemories, maxChars: 40 } }),
    createForgetTool(memories),
  ]);
  const call = (userId: string, name: 'remember' | 'forget', statement: string) =>
    registry.run(
      { toolUseId: 't', name, input: { statement } },
      new AbortController().signal,
      createToolContext(userId),
    );
  return { memories, call };
}

describe('the remember and forget tools', () => {
  it('saves a statement under the calling user only, on one line', async () => {
    const { memories, call } = setup();

    const result = await call('alice', 'remember', '  My favourite\ncolour is teal ');

    expect(result.toolResult).toMatchObject({
      status: 'success',
      content: [{ json: { remembered: 'My favourite colour is teal', alreadyKnown: false } }],
    });
    expect((await memories.list('alice')).map((m) => m.text)).toEqual(['My favourite colour is teal']);
    expect(await memories.list('bob')).toEqual([]);
  });

  it('does not save the same statement twice', async () => {
    const { memories, call } = setup();
    await call('alice', 'remember', 'I live in Lyon');
    const again = await call('alice', 'remember', 'i live in lyon');

    expect(again.toolResult.content).toEqual([{ json: expect.objectContaining({ alreadyKnown: true }) }]);
    expect(await memories.list('alice')).toHaveLength(1);
  });

  it('refuses a statement longer than allowed, and a memory beyond the cap, saying why', async () => {
    const { memories, call } = setup(2);
    const long = await call('alice', 'remember', 'x'.repeat(41));
    await call('alice', 'remember', 'one');
    await call('alice', 'remember', 'two');
    const full = await call('alice', 'remember', 'three');

    expect(long.toolResult.status).toBe('error');
    expect(full.toolResult).toMatchObject({
      status: 'error',
      content: [{ text: expect.stringContaining('Memory is full (2 facts)') }],
    });
    expect((await memories.list('alice')).map((m) => m.text)).toEqual(['one', 'two']);
  });

  it("forgets the calling user's matching memory and never another user's", async () => {
    const { memories, call } = setup();
    await call('alice', 'remember', 'My favourite colour is teal');
    await call('alice', 'remember', 'I have a cat called Miso');
    await call('bob', 'remember', 'My favourite colour is teal');

    const result = await call('alice', 'forget', 'my favourite colour');

    expect(result.toolResult.content).toEqual([{ json: { forgotten: ['My favourite colour is teal'] } }]);
    expect((await memories.list('alice')).map((m) => m.text)).toEqual(['I have a cat called Miso']);
    expect((await memories.list('bob')).map((m) => m.text)).toEqual(['My favourite colour is teal']);
  });

  it('forgets everything when asked to, and says when nothing matches', async () => {
    const { memories, call } = setup();
    await call('alice', 'remember', 'one fact');
    await call('alice', 'remember', 'another fact');

    const nothing = await call('alice', 'forget', 'my shoe size');
    const everything = await call('alice', 'forget', 'everything');

    expect(nothing.toolResult).toMatchObject({
      status: 'error',
      content: [{ text: expect.stringContaining('Nothing I remember matches "my shoe size"') }],
    });
    expect(everything.toolResult.content).toEqual([{ json: { forgotten: ['one fact', 'another fact'] } }]);
    expect(await memories.list('alice')).toEqual([]);
  });
});
