import { describe, expect, it } from 'vitest';
import { scriptedTitle } from '../../../emulator/scripted-title.ts';
import { TITLE_INSTRUCTION } from '../../../src/chat/title/generate-title.ts';

const titleCall = (question: string) => ({
  messages: [
    { role: 'user' as const, content: [{ text: question }] },
    { role: 'assistant' as const, content: [{ text: 'An answer.' }] },
    { role: 'user' as const, content: [{ text: TITLE_INSTRUCTION }] },
  ],
});

describe('the scripted model names a conversation', () => {
  it('after its first question’s first six words, directives and end marks left out', () => {
    expect(scriptedTitle(titleCall('how do I reset my password? #id:x1 #pace:5'))).toBe(
      'How do I reset my password',
    );
    expect(scriptedTitle(titleCall('What time is it in Tokyo right now, please?'))).toBe(
      'What time is it in Tokyo',
    );
    expect(scriptedTitle(titleCall('#tokens:40'))).toBe('New conversation');
  });

  it('only when the chat’s title instruction asks', () => {
    expect(scriptedTitle({ messages: titleCall('Hello').messages.slice(0, 1) })).toBeUndefined();
  });
});
