import type { Message } from '../messages.ts';
import { citablePassagesOf } from './citable-passage.ts';

/** Numbers the passages of one turn, so that `[n]` names exactly one passage however often the model searches. */
export interface PassageNumbering {
  /** The passage's number in this turn: the one it already has, or the next free one. */
  numberFor(passageId: string): number;
}

/**
 * Numbering for a turn, continuing from the passages its earlier messages already numbered (a resumed answer
 * keeps the numbers its first part cited).
 */
export function createPassageNumbering(earlierInTurn: readonly Message[] = []): PassageNumbering {
  const numbers = new Map<string, number>();
  let last = 0;
  for (const passage of citablePassagesOf(earlierInTurn).values()) {
    numbers.set(passage.id, passage.n);
    last = Math.max(last, passage.n);
  }
  return {
    numberFor(passageId) {
      let n = numbers.get(passageId);
      if (n === undefined) {
        n = ++last;
        numbers.set(passageId, n);
      }
      return n;
    },
  };
}
