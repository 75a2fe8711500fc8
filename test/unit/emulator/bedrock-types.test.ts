import { describe, expect, it } from 'vitest';
import { toolNamesOf, turnTextOf } from '../../../emulator/bedrock-types.ts';

describe('turnTextOf', () => {
  it('is the last thing the person typed, skipping tool results sent on their behalf', () => {
    const body = {
      messages: [
        { role: 'user', content: [{ text: 'First' }] },
        { role: 'assistant', content: [{ text: 'Answer' }] },
        { role: 'user', content: [{ text: 'What time ' }, { text: 'is it?' }] },
        { role: 'assistant', content: [{ toolUse: { toolUseId: 't', name: 'current_time', input: {} } }] },
        { role: 'user', content: [{ toolResult: { toolUseId: 't', content: [{ text: 'now' }] } }] },
      ],
    };

    expect(turnTextOf(body)).toBe('What time is it?');
    expect(turnTextOf({})).toBe('');
  });
});

describe('toolNamesOf', () => {
  it('lists the tools offered by name', () => {
    expect(
      toolNamesOf({ toolConfig: { tools: [{ toolSpec: { name: 'a' } }, {}, { toolSpec: { name: 'b' } }] } }),
    ).toEqual(['a', 'b']);
  });
});
