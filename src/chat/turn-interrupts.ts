import type { StopReason } from '../protocol/server-frame.ts';
import type { TurnStore } from './ports.ts';
import { watchForStopRequest } from './stop-watch.ts';

/** Why a turn was cut short from outside the model. */
export type InterruptReason = Extract<StopReason, 'timeout' | 'cancelled' | 'client_gone'>;

/**
 * The abort reason on a turn's signal. Not a failure (see errors.ts): the turn ends with `done` and this
 * stop reason, keeping what was said.
 */
export class TurnInterrupted extends Error {
  override readonly name = 'TurnInterrupted';
  constructor(readonly stopReason: InterruptReason) {
    super(`Turn interrupted: ${stopReason}`);
  }
}

/** The interrupt a signal was aborted with, if it was. */
export function interruptionOf(signal: AbortSignal): InterruptReason | undefined {
  return signal.aborted && signal.reason instanceof TurnInterrupted ? signal.reason.stopReason : undefined;
}

export interface TurnInterrupts {
  /** Aborted, with a TurnInterrupted reason, by the first of the three sources. */
  readonly signal: AbortSignal;
  /** The client will not see the rest of the answer (a push failed): the first source. */
  clientGone(): void;
  /** The answer is complete: stop requests and the deadline no longer apply. Safe to call twice. */
  end(): void;
}

/**
 * The one place a running turn is stopped from outside the model, with one AbortController and its three
 * sources: the client is gone (a push failed), a stop request for this run arrived (Stop, or a resume
 * elsewhere, polled every `stopPollMs`), or the Lambda deadline less `deadlineMarginMs` came. The first one
 * wins. A Stop that says how far the client showed the answer is passed to `onFrozen` before the abort, so
 * nothing more is pushed.
 */
export function createTurnInterrupts(options: {
  turns: TurnStore;
  sessionId: string;
  turnId: string;
  /** This run: a stop request made for an earlier run of the turn does not apply. */
  runId: string;
  stopPollMs: number;
  remainingTimeMs?: () => number;
  deadlineMarginMs: number;
  onFrozen?: (seenSeq: number) => void;
}): TurnInterrupts {
  const controller = new AbortController();
  const interrupt = (reason: InterruptReason) => controller.abort(new TurnInterrupted(reason));
  const endStopWatch = watchForStopRequest(
    options.turns,
    { sessionId: options.sessionId, turnId: options.turnId, runId: options.runId },
    options.stopPollMs,
    (request) => {
      if (controller.signal.aborted) return;
      if (request.reason === 'cancelled' && request.seenSeq !== undefined)
        options.onFrozen?.(request.seenSeq);
      interrupt(request.reason);
    },
  );
  const deadline = options.remainingTimeMs
    ? setTimeout(
        () => interrupt('timeout'),
        Math.max(0, options.remainingTimeMs() - options.deadlineMarginMs),
      )
    : undefined;
  return {
    signal: controller.signal,
    clientGone: () => interrupt('client_gone'),
    end() {
      endStopWatch();
      clearTimeout(deadline);
    },
  };
}
