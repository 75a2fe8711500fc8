import { describe, expect, it } from 'vitest';
import type { ConverseBody } from '../../../emulator/bedrock-types.ts';
import { validateConverseBody } from '../../../emulator/validation.ts';

const user = (text: string) => ({ role: 'user', content: [{ text }] });
const toolConfig = { tools: [{ toolSpec: { name: 'current_time' } }] };
const asks = {
  role: 'assistant',
  content: [{ toolUse: { toolUseId: 't1', name: 'current_time', input: {} } }],
};
const answers = (id: string) => ({
  role: 'user',
  content: [{ toolResult: { toolUseId: id, content: [{ text: 'now' }] } }],
});

describe('validateConverseBody', () => {
  it('accepts a valid tool round trip', () => {
    expect(
      validateConverseBody({ messages: [user('Time?'), asks, answers('t1')], toolConfig }),
    ).toBeUndefined();
  });

  it.each<[string, ConverseBody, RegExp]>([
    ['no messages', { messages: [] }, /messages field is empty/],
    [
      'a conversation that starts with the assistant',
      { messages: [{ role: 'assistant', content: [{ text: 'Hi' }] }] },
      /must start with a user message/,
    ],
    ['two user messages in a row', { messages: [user('a'), user('b')] }, /must alternate/],
    ['a blank text block', { messages: [user('  ')] }, /messages\.0\.content\.0 is blank/],
    [
      'an unknown role',
      { messages: [{ role: 'system', content: [{ text: 'x' }] }] },
      /messages\.1\.member\.role/,
    ],
    [
      'a tool use left unanswered',
      { messages: [user('Time?'), asks, user('Well?')], toolConfig },
      /Expected toolResult blocks at messages\.2\.content for the following Ids: t1/,
    ],
    [
      'a result for an unknown tool use',
      { messages: [user('Time?'), asks, answers('t9')], toolConfig },
      /unknown toolUseIds: t9|Expected toolResult/,
    ],
    [
      'a final assistant message (prefill) ending in whitespace',
      { messages: [user('Hi'), { role: 'assistant', content: [{ text: 'Well, ' }] }] },
      /final assistant content cannot end with trailing whitespace/,
    ],
    [
      'tool blocks without toolConfig',
      { messages: [user('Time?'), asks, answers('t1')] },
      /toolConfig field must be defined/,
    ],
  ])('rejects %s with Bedrock’s wording', (_case, body, message) => {
    expect(validateConverseBody(body)).toMatch(message);
  });
});
