import { EVENT_STREAM_CONTENT_TYPE, encodeFrame, type StreamFrame } from './event-stream.ts';

/** A frame and how long to wait before sending it. */
export interface PlannedFrame {
  delayMs: number;
  frame: StreamFrame;
}

/** An event-stream answer (ConverseStream), sent frame by frame over time. */
export interface StreamPlan {
  kind: 'stream';
  status: number;
  headers: Record<string, string>;
  frames: PlannedFrame[];
  /** Keep the connection open after the last frame, sending nothing (the "stalled stream" fault). */
  stall?: boolean;
  /** What the scripted model billed for the request (its `metadata.usage`), for the call log. */
  usage?: BilledUsage;
}

/** A plain JSON answer (Converse, Retrieve, or any error). */
export interface JsonPlan {
  kind: 'json';
  status: number;
  headers: Record<string, string>;
  body: string;
  delayMs?: number;
  /** What the scripted model billed for the request (its `usage`), for the call log. */
  usage?: BilledUsage;
}

/** A model call's tokens as Bedrock bills them. */
export interface BilledUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export type ResponsePlan = StreamPlan | JsonPlan;

export type ResponseOutcome = 'completed' | 'cancelled';

/** Bedrock's JSON error shape: the SDK reads the error name from `x-amzn-ErrorType`. */
export function errorPlan(status: number, errorType: string, message: string): JsonPlan {
  return {
    kind: 'json',
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': errorType },
    body: JSON.stringify({ message }),
  };
}

/** Bedrock names its own errors with this namespace after the type; the SDKs strip it. */
export const BEDROCK_ERROR_NAMESPACE = ':http://internal.amazon.com/coral/com.amazon.bedrock/';

/** An error of Bedrock's own (ValidationException, ThrottlingException…), typed as real responses type it. */
export function bedrockErrorPlan(status: number, errorType: string, message: string): JsonPlan {
  return errorPlan(status, `${errorType}${BEDROCK_ERROR_NAMESPACE}`, message);
}

export function jsonPlan(body: unknown, delayMs = 0): JsonPlan {
  return {
    kind: 'json',
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    delayMs,
  };
}

/** Longest a stalled stream is held open before the emulator gives up on the client. */
const STALL_LIMIT_MS = 120_000;

/**
 * Turns a plan into a Fetch Response. Stream plans become a ReadableStream that waits `delayMs × pacing`
 * before each frame, so the SDK sees deltas arrive over time; cancelling the body (the client aborted or
 * disconnected) stops the timers and reports `cancelled`.
 */
export function toResponse(
  plan: ResponsePlan,
  options: { pacing: number; onFinish?: (outcome: ResponseOutcome) => void },
): Response {
  const headers = new Headers(plan.headers);
  headers.set('x-amzn-requestid', crypto.randomUUID());
  let finished = false;
  const finish = (outcome: ResponseOutcome) => {
    if (!finished) options.onFinish?.(outcome);
    finished = true;
  };

  let cancelWait: (() => void) | undefined;
  let cancelled = false;
  const wait = (ms: number, options: { holdsProcess: boolean } = { holdsProcess: true }) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || cancelled) return resolve();
      const timer = setTimeout(resolve, ms);
      if (!options.holdsProcess) timer.unref();
      cancelWait = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        if (plan.kind === 'json') {
          await wait((plan.delayMs ?? 0) * options.pacing);
          if (!cancelled) controller.enqueue(new TextEncoder().encode(plan.body));
        } else {
          for (const { delayMs, frame } of plan.frames) {
            await wait(delayMs * options.pacing);
            if (cancelled) return;
            controller.enqueue(encodeFrame(frame));
          }
          // In-process (msw), a client that gives up never cancels the body: the stall must not keep a test
          // or CLI process alive.
          if (plan.stall) await wait(STALL_LIMIT_MS, { holdsProcess: false });
        }
        if (cancelled) return;
        controller.close();
        finish('completed');
      } catch {
        finish('cancelled');
      }
    },
    cancel() {
      cancelled = true;
      cancelWait?.();
      finish('cancelled');
    },
  });
  if (plan.kind === 'stream' && !headers.has('content-type'))
    headers.set('content-type', EVENT_STREAM_CONTENT_TYPE);
  return new Response(body, { status: plan.status, headers });
}
