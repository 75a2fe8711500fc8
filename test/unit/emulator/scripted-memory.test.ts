import { describe, expect, it } from 'vitest';
import type { ConverseBody } from '../../../emulator/bedrock-types.ts';
import { loadKnowledgeBase } from '../../../emulator/knowledge-base.ts';
import { fixturePaths } from '../../../emulator/repository-paths.ts';
import { scriptReply } from '../../../emulator/scripted-model.ts';

const knowledgeBase = loadKnowledgeBase(fixturePaths().knowledgeBase);
const memoryTools = ['remember', 'forget', 'current_time'].map((name) => ({
  toolSpec: { name, description: name, inputSchema: { json: { type: 'object' } } },
}));
const ask = (question: string, system: string[] = [], earlier: ConverseBody['messages'] = []) =>
  scriptReply(
    {
      system: [{ text: 'You are a helpful assistant.' }, ...system.map((text) => ({ text }))],
      messages: [...(earlier ?? []), { role: 'user', content: [{ text: question }] }],
      toolConfig: { tools: memoryTools },
    },
    knowledgeBase,
  );

describe('the scripted model remembers', () => {
  it('calls remember with the rest of the sentence after "Remember that"', () => {
    const reply = ask('Remember that my favourite colour is teal.');
    expect(reply.stopReason).toBe('tool_use');
    expect(reply.toolUses).toEqual([
      expect.objectContaining({ name: 'remember', input: { statement: 'My favourite colour is teal' } }),
    ]);
  });

  it('calls forget with what to forget', () => {
    expect(ask('Forget my favourite colour').toolUses).toEqual([
      expect.objectContaining({ name: 'forget', input: { statement: 'my favourite colour' } }),
    ]);
  });

  it('answers a question about a remembered fact from the system prompt', () => {
    const memory =
      'What you remember about this user (…):\n- My favourite colour is teal\n- I have a cat called Miso';
    expect(ask('What is my favourite colour?', [memory]).text).toBe(
      'You told me: My favourite colour is teal',
    );
    expect(ask('What is my cat called?', [memory]).text).toContain('Miso');
  });

  it('answers from something the user stated earlier in the conversation', () => {
    const earlier: ConverseBody['messages'] = [
      { role: 'user', content: [{ text: 'Our project code name is Bluebird. How are you?' }] },
      { role: 'assistant', content: [{ text: 'Fine.' }] },
    ];
    expect(ask('What is our project code name?', [], earlier).text).toContain('Bluebird');
  });

  it('takes no question the user asked before for a fact: the same question asked again calls its tool again', () => {
    const earlier: ConverseBody['messages'] = [
      { role: 'user', content: [{ text: 'What time is it in Tokyo?' }] },
      { role: 'assistant', content: [{ text: 'It is noon in Tokyo.' }] },
    ];
    const reply = ask('What time is it in Tokyo?', [], earlier);
    expect(reply.toolUses).toEqual([expect.objectContaining({ name: 'current_time' })]);
  });

  it('does not pretend to remember what it was never told', () => {
    const memory = 'What you remember about this user (…):\n- My favourite colour is teal';
    expect(ask('What is my shoe size?', [memory]).text).not.toContain('You told me');
    expect(ask('My favourite colour matters', [memory]).text).not.toContain('You told me');
  });
});

describe('the scripted model summarizes', () => {
  it('keeps the summary it had and the names, numbers and decisions of the exchanges it folds', () => {
    const reply = scriptReply(
      {
        system: [
          { text: 'You are a helpful assistant.' },
          { text: 'Summary of earlier turns of this conversation (2 turns, …):\n- My cat is called Miso.' },
        ],
        messages: [
          { role: 'user', content: [{ text: 'Our project code name is Bluebird. What is new?' }] },
          { role: 'assistant', content: [{ text: 'The release is on day 12. Nothing else.' }] },
          { role: 'user', content: [{ text: 'We decided to ship on Friday #id:x' }] },
          { role: 'assistant', content: [{ text: 'Good.' }] },
          { role: 'user', content: [{ text: 'The budget is 300 euros' }] },
          { role: 'assistant', content: [{ text: 'Noted.' }] },
          {
            role: 'user',
            content: [
              { text: 'Summarize the conversation for your own memory: fold the first 2 exchanges above' },
            ],
          },
        ],
      },
      knowledgeBase,
    );
    expect(reply.text.split('\n')).toEqual([
      '- My cat is called Miso.',
      '- Our project code name is Bluebird.',
      '- The release is on day 12.',
      '- We decided to ship on Friday',
    ]);
  });
});
