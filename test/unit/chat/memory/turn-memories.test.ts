import { describe, expect, it } from 'vitest';
import { createInMemoryMemoryStore } from '../../../../src/adapters/memory/memory-memory-store.ts';
import { createMemoryStorage } from '../../../../src/adapters/memory/memory-storage.ts';
import { runTurn } from '../../../../src/chat/run-turn.ts';
import { createToolRegistry } from '../../../../src/chat/tools/registry.ts';
import { createRememberTool } from '../../../../src/chat/tools/remember.ts';
import type { TurnDependencies, TurnSettings } from '../../../../src/chat/turn.ts';
import {
  answer,
  createFakeClock,
  createFakeModel,
  createRecordingReply,
  type ScriptedCall,
  testTurnSettings,
  toolCall,
} from '../../../support/fakes.ts';

const settings: TurnSettings = testTurnSettings();

function setup(calls: ScriptedCall[]) {
  const clock = createFakeClock();
  const { resources: _none, ...storage } = createMemoryStorage({
    resources: [],
    rateLimitPerMinute: 100,
    clock,
  });
  const memories = createInMemoryMemoryStore();
  const model = createFakeModel(calls);
  const deps: TurnDependencies = {
    ...storage,
    memories,
    model,
    tools: createToolRegistry([createRememberTool({ memories, clock, settings: settings.memory })]),
    clock,
    settings,
  };
  const turn = (userId: string, message: string, sessionId = crypto.randomUUID()) =>
    runTurn(deps, { connectionId: 'c', sessionId, userId, message, reply: createRecordingReply() });
  return { deps, model, memories, turn };
}

describe('memories in a turn', () => {
  it("gives the model the user's memories as a system block in every new session, and no one else's", async () => {
    const { model, turn } = setup([
      toolCall({ name: 'remember', input: { statement: 'My favourite colour is teal' } }),
      answer('Noted.'),
      answer('Teal.'),
      answer('No idea.'),
    ]);

    await turn('alice', 'Remember that my favourite colour is teal');
    await turn('alice', 'What is my favourite colour?');
    await turn('bob', 'What is my favourite colour?');

    const [rememberCall, , aliceLater, bobLater] = model.requests;
    expect(rememberCall?.system).toBeUndefined();
    expect(aliceLater?.system).toEqual([expect.stringMatching(/\n- My favourite colour is teal$/)]);
    expect(bobLater?.system).toBeUndefined();
  });

  it('keeps the memory when the turn that saved it fails afterwards, and never saves it for another user', async () => {
    const { memories, turn } = setup([
      toolCall({ name: 'remember', input: { statement: 'I live in Lyon' } }),
      [{ throw: new Error('model broke') }],
    ]);

    const summary = await turn('alice', 'Remember that I live in Lyon');

    expect(summary.outcome).toBe('failed');
    expect((await memories.list('alice')).map((m) => m.text)).toEqual(['I live in Lyon']);
    expect(await memories.list('bob')).toEqual([]);
  });
});
