import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/chat/messages.ts';
import { truncateAnswer } from '../../../src/chat/truncate-answer.ts';

/** A tool round, then a second round of text: streamed as "Let me look.\n\nFound it: here." */
const answer: Message[] = [
  {
    role: 'assistant',
    content: [{ text: 'Let me look.' }, { toolUse: { toolUseId: 't1', name: 'kb_lookup', input: {} } }],
  },
  {
    role: 'user',
    content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'found' }], status: 'success' } }],
  },
  { role: 'assistant', content: [{ text: 'Found it: ' }, { text: 'here.' }] },
];

describe('truncateAnswer', () => {
  it('keeps everything when the client showed all the text', () => {
    expect(truncateAnswer(answer, 'Let me look.\n\nFound it: here.'.length)).toEqual(answer);
  });

  it('cuts inside a later round, counting the separator between rounds as streamed', () => {
    expect(truncateAnswer(answer, 'Let me look.\n\nFound'.length)).toEqual([
      answer[0],
      answer[1],
      { role: 'assistant', content: [{ text: 'Found' }] },
    ]);
  });

  it('drops the tool call and what followed when the client saw only the first round', () => {
    expect(truncateAnswer(answer, 'Let me'.length)).toEqual([
      { role: 'assistant', content: [{ text: 'Let me' }] },
    ]);
    expect(truncateAnswer(answer, 'Let me look.\n'.length)).toEqual([
      { role: 'assistant', content: [{ text: 'Let me look.' }] },
    ]);
  });

  it('keeps nothing when the client saw no text', () => {
    expect(truncateAnswer(answer, 0)).toEqual([]);
  });
});
