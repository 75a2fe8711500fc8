import { describe, expect, it } from 'vitest';
import {
  fitsHandoff,
  handoffMessageBytes,
  handoffMessagesBytes,
  MAX_HANDOFF_MESSAGE_BYTES,
} from '../../../../src/chat/handoff/handoff-bound.ts';
import type { HandoffEvent } from '../../../../src/protocol/handoff-frames.ts';

const message = (text: string, kind: HandoffEvent['kind'] = 'agentMessage'): HandoffEvent => ({
  kind,
  by: 'carol',
  at: 1_764_486_000_000,
  text,
});

/** A message whose stored size (JSON) is exactly `bytes`. */
function messageOf(bytes: number, kind: HandoffEvent['kind'] = 'agentMessage'): HandoffEvent {
  const overhead = handoffMessageBytes(message('', kind));
  return message('x'.repeat(bytes - overhead), kind);
}

describe('the bound on what is said in one open handoff', () => {
  it('counts the messages as stored (JSON, UTF-8), and nothing for the other events', () => {
    expect(handoffMessageBytes(message('héllo'))).toBe(
      new TextEncoder().encode(JSON.stringify(message('héllo'))).length,
    );
    expect(handoffMessageBytes({ kind: 'claimed', by: 'carol', at: 1 })).toBe(0);
    expect(handoffMessageBytes({ kind: 'queued', by: 'alice', at: 1, text: 'user_request' })).toBe(0);
    expect(
      handoffMessagesBytes([
        message('a'),
        { kind: 'claimed', by: 'carol', at: 1 },
        message('b', 'userMessage'),
      ]),
    ).toBe(handoffMessageBytes(message('a')) + handoffMessageBytes(message('b', 'userMessage')));
  });

  it('takes a message that fills it exactly, and refuses one byte more', () => {
    const held = [messageOf(40_000, 'userMessage'), messageOf(20_000)];
    const room = MAX_HANDOFF_MESSAGE_BYTES - 60_000;
    expect(fitsHandoff(held, messageOf(room))).toBe(true);
    expect(fitsHandoff(held, messageOf(room + 1))).toBe(false);
    // Events that are not words never fill it.
    expect(fitsHandoff([...held, messageOf(room)], { kind: 'released', by: 'carol', at: 2 })).toBe(true);
  });
});
