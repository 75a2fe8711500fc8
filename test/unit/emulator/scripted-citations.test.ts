import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../../emulator/bedrock-types.ts';
import { scriptReply } from '../../../emulator/scripted-model.ts';
import { knowledgeBase } from './support/test-emulator.ts';

const tools = { tools: [{ toolSpec: { name: 'kb_lookup' } }] };

/** A question, the model's kb_lookup call, and the tool's result. */
function afterLookup(question: string, result: Record<string, unknown>): WireMessage[] {
  return [
    { role: 'user', content: [{ text: question }] },
    { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'kb_lookup', input: {} } }] },
    {
      role: 'user',
      content: [{ toolResult: { toolUseId: 't1', content: [{ json: result }], status: 'success' } }],
    },
  ];
}

const passage = (n: number, text: string) => ({
  n,
  id: `c${n}`,
  title: 'T',
  source: 's3://kb/a.md',
  score: 0.7,
  text,
});

describe('the scripted model after kb_lookup', () => {
  it('cites the top two passages by their numbers', () => {
    const messages = afterLookup('How do I reset my password?', {
      passages: [passage(3, 'First. Second. Third.'), passage(5, 'Other.'), passage(6, 'Unused.')],
    });
    expect(scriptReply({ messages, toolConfig: tools }, knowledgeBase).text).toBe(
      'According to the knowledge base:\n\n- First. Second. [3]\n- Other. [5]',
    );
  });

  it('also cites the number a #cite directive names, retrieved or not', () => {
    const messages = afterLookup('How do I reset my password? #cite:42', {
      passages: [passage(1, 'Reset it.')],
    });
    expect(scriptReply({ messages, toolConfig: tools }, knowledgeBase).text).toBe(
      'According to the knowledge base:\n\n- Reset it. [1] See also [42].',
    );
  });

  it('says it will not guess when the tool found nothing relevant', () => {
    const messages = afterLookup('What is the capital of France?', {
      passages: [],
      note: 'Nothing relevant.',
    });
    expect(scriptReply({ messages, toolConfig: tools }, knowledgeBase).text).toBe(
      'The knowledge base has nothing relevant on that, so I will not guess.',
    );
  });
});
