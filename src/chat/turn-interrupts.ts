import type { StopReason } from '../protocol/server-frame.ts';
import type { StopRequests } from './ports.ts';
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
 * sources: the client is gone (a push failed), a stop request arrived (Stop, or a resume elsewhere, polled
 * every `stopPollMs`), or the Lambda deadline less `deadlineMarginMs` came. The first one wins.
 */
export function createTurnInterrupts(options: {
  stopRequests: StopRequests;
  sessionId: string;
  turnId: string;
  /** Epoch ms this run started; a resume's stop request made before it is for the run before. */
  startedAt: number;
  stopPollMs: number;
  remainingTimeMs?: () => number;
  deadlineMarginMs: number;
}): TurnInterrupts {
  const controller = new AbortController();
  const interrupt = (reason: InterruptReason) => controller.abort(new TurnInterrupted(reason));
  const endStopWatch = watchForStopRequest(
    options.stopRequests,
    { sessionId: options.sessionId, turnId: options.turnId, startedAt: options.startedAt },
    options.stopPollMs,
    interrupt,
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
