import { ChatError } from '../chat/errors.ts';
import type { FrameProblem } from '../protocol/client-frame.ts';

/*
 * The Lambda edge's errors. The protocol module reports a bad client frame as a plain FrameProblem (it is
 * shared with the web app and knows no server classes); the edge turns it into a ChatError here, so it is
 * logged, counted and answered like every other failure.
 */

/** A client frame the protocol refused: not JSON, no known action, a bad field, or too large. */
export class FrameRefusedError extends ChatError {
  override readonly name = 'FrameRefusedError';
  readonly code: FrameProblem['code'];
  constructor(problem: FrameProblem) {
    super(problem.message);
    this.code = problem.code;
  }
}
