import { describe, expect, it } from 'vitest';
import type { ConverseBody, WireMessage } from '../../../emulator/bedrock-types.ts';
import { scriptReply } from '../../../emulator/scripted-model.ts';
import { knowledgeBase } from './support/test-emulator.ts';

const tools = {
  tools: ['kb_lookup', 'current_time', 'lookup_resource'].map((name) => ({ toolSpec: { name } })),
};
const ask = (text: string, extra: Partial<ConverseBody> = {}) =>
  scriptReply(
    { messages: [{ role: 'user', content: [{ text }] }], toolConfig: tools, ...extra },
    knowledgeBase,
  );

describe('the scripted model', () => {
  it.each([
    ['How do I reset my password?', 'kb_lookup', { query: 'How do I reset my password?' }],
    ['What time is it in Tokyo?', 'current_time', { timeZone: 'Asia/Tokyo' }],
    ['What is the date in Europe/Berlin?', 'current_time', { timeZone: 'Europe/Berlin' }],
    ['Where is the billing-api?', 'lookup_resource', { name: 'billing-api' }],
  ])('asked "%s", calls %s', (question, tool, input) => {
    const reply = ask(question);

    expect(reply.stopReason).toBe('tool_use');
    expect(reply.toolUses).toEqual([
      { name: tool, input, toolUseId: expect.stringMatching(/^tooluse_[\w-]{22}$/) },
    ]);
  });

  it('calls several tools in one response when the question needs them, saying so first', () => {
    const reply = ask('What time is it in London, and where is the status-page?');

    expect(reply.text).toBe('Let me check a few things.');
    expect(reply.toolUses.map((use) => use.name)).toEqual(['current_time', 'lookup_resource']);
  });

  it('answers small talk directly, without tools, and only calls tools it was offered', () => {
    expect(ask('Hi! What can you help me with?')).toMatchObject({ toolUses: [], stopReason: 'end_turn' });
    expect(ask('How do I reset my password?', { toolConfig: { tools: [] } }).toolUses).toEqual([]);
    // Words the documentation uses, but no question about the product.
    expect(ask('Asked before the failure').toolUses).toEqual([]);
    expect(ask('Are you still there?').toolUses).toEqual([]);
    expect(ask('Hi! What can you help me with?').toolUses).toEqual([]);
  });

  it('is never steered by #name:value directives such as a test’s marker, nor echoes them', () => {
    const reply = ask('Tell me a joke #fault:stream-error #id:time-check');

    expect(reply.toolUses).toEqual([]);
    expect(reply.text).toMatch(/^You said: “Tell me a joke”\./);
  });

  it('gives the same tool-use ids for the same conversation, so recordings replay', () => {
    expect(ask('What time is it in Tokyo?').toolUses[0]?.toolUseId).toBe(
      ask('What time is it in Tokyo?').toolUses[0]?.toolUseId,
    );
    expect(ask('What time is it in Tokyo?').toolUses[0]?.toolUseId).not.toBe(
      ask('What time is it in Paris?').toolUses[0]?.toolUseId,
    );
  });

  it('answers from the tool results once they arrive', () => {
    const messages: WireMessage[] = [
      { role: 'user', content: [{ text: 'What time is it in Tokyo and where is x?' }] },
      {
        role: 'assistant',
        content: [
          { toolUse: { toolUseId: 't1', name: 'current_time', input: {} } },
          { toolUse: { toolUseId: 't2', name: 'lookup_resource', input: {} } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            toolResult: {
              toolUseId: 't1',
              content: [{ json: { timeZone: 'Asia/Tokyo', local: 'Thursday 18:30', utcOffset: '+09:00' } }],
              status: 'success',
            },
          },
          { toolResult: { toolUseId: 't2', content: [{ text: 'No resource named "x".' }], status: 'error' } },
        ],
      },
    ];

    const reply = scriptReply({ messages, toolConfig: tools }, knowledgeBase);

    expect(reply.stopReason).toBe('end_turn');
    expect(reply.text).toBe(
      'The current time in Asia/Tokyo is **Thursday 18:30** (UTC+09:00).\n\nI tried `lookup_resource` but it failed: No resource named "x".',
    );
  });

  it('#tokens:N gives an answer of exactly N words', () => {
    expect(ask('Tell me more #tokens:40').text.split(' ')).toHaveLength(40);
  });

  it('continues a prefilled assistant message instead of starting over', () => {
    const full = ask('Hello there').text;
    const reply = scriptReply(
      {
        messages: [
          { role: 'user', content: [{ text: 'Hello there' }] },
          { role: 'assistant', content: [{ text: full.slice(0, 20) }] },
        ],
        toolConfig: tools,
      },
      knowledgeBase,
    );

    expect(full.slice(0, 20) + reply.text).toBe(full);
  });

  it('continues an answer that was cut off when asked to, as models without prefill are', () => {
    const full = ask('Hello there').text;
    const reply = scriptReply(
      {
        messages: [
          { role: 'user', content: [{ text: 'Hello there' }] },
          { role: 'assistant', content: [{ text: full.slice(0, 20) }] },
          {
            role: 'user',
            content: [{ text: 'Your previous answer was cut off. Continue it exactly where it stopped.' }],
          },
        ],
        toolConfig: tools,
      },
      knowledgeBase,
    );

    expect(full.slice(0, 20) + reply.text).toBe(full);
  });
});

describe('the scripted model and a person from support', () => {
  const withHandoff = { tools: [...tools.tools, { toolSpec: { name: 'handoff_to_human' } }] };

  it.each(['Can I talk to a human?', 'I want a real person', 'Get me an agent please'])(
    'asked "%s", calls handoff_to_human and nothing else',
    (question) => {
      const reply = scriptReply(
        { messages: [{ role: 'user', content: [{ text: question }] }], toolConfig: withHandoff },
        knowledgeBase,
      );
      expect(reply.toolUses).toEqual([
        expect.objectContaining({
          name: 'handoff_to_human',
          input: expect.objectContaining({ reason: 'user_request' }),
        }),
      ]);
    },
  );

  it('never hands off when the tool is not offered', () => {
    expect(ask('Can I talk to a human?').toolUses).toEqual([]);
  });

  it('quotes what a person from support said earlier in the history', () => {
    const reply = ask('What did the person say?', {
      messages: [
        { role: 'user', content: [{ text: 'my bill' }] },
        { role: 'assistant', content: [{ text: 'A person from support (carol) answered:\n\nfixed it' }] },
        { role: 'user', content: [{ text: 'What did the person say?' }] },
      ],
    });
    expect(reply.text).toBe('Earlier, a person from support (carol) answered:\n\nfixed it');
  });
});
