import type { DoneFrame, ErrorFrame, ServerFrame, Source, TurnFrameBase } from '../protocol/server-frame.ts';
import { utf8Length } from '../protocol/utf8-length.ts';
import { ClientGoneError } from './errors.ts';
import type { Reply } from './ports.ts';

export interface FlushPolicy {
  /** The wait before the second frame; each later wait doubles up to `maxDelayMs`. */
  minDelayMs: number;
  maxDelayMs: number;
  /** A frame is sent at once when its text reaches this many UTF-8 bytes (JSON-escaped). */
  maxFrameBytes: number;
}

export const DEFAULT_FLUSH_POLICY: FlushPolicy = {
  minDelayMs: 50,
  maxDelayMs: 400,
  maxFrameBytes: 16 * 1024,
};

export interface FrameStreamOptions {
  reply: Reply;
  sessionId: string;
  turnId: string;
  policy?: FlushPolicy;
  /** The first frame's seq (a resumed answer continues after the interrupted one's last seq). */
  firstSeq?: number;
  /** Called once, the first time a push fails: the client will not see the rest of the turn. */
  onGone?: () => void;
  /** Called with the error when that push failed for another reason than a closed connection (410). */
  onPushFailed?: (error: unknown) => void;
  /** Called once, when the first text arrives (before it is pushed). */
  onFirstText?: () => void;
  /** Called once, when the first token frame has been delivered. */
  onFirstToken?: () => void;
}

export interface FrameStream {
  /**
   * Queues streamed text. The first text of a turn is pushed at once, and the promise settles once it is
   * delivered; later text is coalesced and the promise is already settled.
   */
  text(delta: string): Promise<void>;
  /** Pushes a status frame (after any queued text) without waiting for it. */
  status(tool: string, value: string): void;
  /** Pushes the queued text and a sources frame without waiting for it. */
  sources(sources: Source[]): void;
  /** Pushes the queued text and the done frame, and waits until every frame is sent. */
  done(frame: Omit<DoneFrame, keyof TurnFrameBase | 'type'>): Promise<void>;
  /** Pushes the queued text and an error frame, and waits until every frame is sent. */
  error(frame: Pick<ErrorFrame, 'code' | 'message' | 'retryable'>): Promise<void>;
  /** Waits until every queued frame is sent (or the client is gone). */
  settled(): Promise<void>;
  /**
   * The client froze the answer on Stop after showing frames up to `seenSeq`: no more text is pushed (text not
   * yet pushed is dropped). Returns how many characters of text the token frames up to `seenSeq` carried.
   */
  freeze(seenSeq: number): number;
  readonly gone: boolean;
  /** PostToConnection calls made so far. */
  readonly pushCount: number;
  /** The seq of the newest frame queued so far (firstSeq - 1 before the first). */
  readonly lastSeq: number;
}

const QUEUED = Promise.resolve();

/**
 * Turns model deltas into as few WebSocket frames as keeps the answer feeling live: the first token goes out
 * at once, later text waits on a short timer that grows from `minDelayMs` to `maxDelayMs`, and a frame is cut
 * early when it reaches `maxFrameBytes`. Pushes are sent one at a time, so frames arrive in `seq` order and
 * text that arrives during a push simply joins the next frame.
 */
export function createFrameStream(options: FrameStreamOptions): FrameStream {
  const policy = options.policy ?? DEFAULT_FLUSH_POLICY;
  const base = () => ({ sessionId: options.sessionId, turnId: options.turnId, seq: seq++ });
  let seq = options.firstSeq ?? 0;
  let pending = '';
  let pendingBytes = 0;
  let sentText = false;
  let delayMs = policy.minDelayMs;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queue: Promise<void> = Promise.resolve();
  let gone = false;
  let tokenDelivered = false;
  let frozen = false;
  let pushCount = 0;
  /** Characters of text sent so far, after each token frame (in seq order). */
  const textUpTo: Array<{ seq: number; chars: number }> = [];

  const send = async (frame: ServerFrame) => {
    if (gone) return;
    pushCount++;
    try {
      await options.reply.send(frame);
      if (frame.type === 'token' && !tokenDelivered) {
        tokenDelivered = true;
        options.onFirstToken?.();
      }
    } catch (error) {
      // Any failed push means the client will not see this turn in order: stop as if it had left. A 410 is
      // a client that left; anything else (a timeout, throttling) is reported, so it is never silent.
      gone = true;
      if (!(error instanceof ClientGoneError)) options.onPushFailed?.(error);
      options.onGone?.();
    }
  };

  const enqueue = (frame: ServerFrame) => {
    queue = queue.then(() => send(frame));
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    for (const value of splitByJsonBytes(pending, policy.maxFrameBytes)) {
      const frame = { type: 'token' as const, ...base(), value };
      textUpTo.push({ seq: frame.seq, chars: (textUpTo.at(-1)?.chars ?? 0) + value.length });
      enqueue(frame);
    }
    pending = '';
    pendingBytes = 0;
  };

  return {
    text(delta) {
      if (gone || frozen || delta === '') return QUEUED;
      pending += delta;
      pendingBytes += utf8Length(delta);
      if (!sentText) {
        sentText = true;
        options.onFirstText?.();
        flush();
        return queue;
      }
      if (pendingBytes >= policy.maxFrameBytes) flush();
      else if (timer === undefined) {
        timer = setTimeout(flush, delayMs);
        delayMs = Math.min(delayMs * 2, policy.maxDelayMs);
      }
      return QUEUED;
    },
    status(tool, value) {
      flush();
      enqueue({ type: 'status', ...base(), tool, value });
    },
    sources(sources) {
      flush();
      enqueue({ type: 'sources', ...base(), sources });
    },
    async done(frame) {
      flush();
      enqueue({ type: 'done', ...base(), ...frame });
      await queue;
    },
    async error(frame) {
      flush();
      enqueue({ type: 'error', ...base(), ...frame });
      await queue;
    },
    settled: () => queue,
    freeze(seenSeq) {
      frozen = true;
      clearTimeout(timer);
      timer = undefined;
      pending = '';
      pendingBytes = 0;
      return textUpTo.findLast((entry) => entry.seq <= seenSeq)?.chars ?? 0;
    },
    get gone() {
      return gone;
    },
    get pushCount() {
      return pushCount;
    },
    get lastSeq() {
      return seq - 1;
    },
  };
}

/**
 * Cuts text into pieces whose JSON string form stays within `maxBytes` of UTF-8, never inside a code point.
 * Counting the JSON escaping keeps a frame under API Gateway's 32 KB even for text full of control characters.
 */
export function splitByJsonBytes(text: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  let bytes = 0;
  let index = 0;
  for (const char of text) {
    const size = jsonBytes(char);
    if (bytes + size > maxBytes && index > start) {
      pieces.push(text.slice(start, index));
      start = index;
      bytes = 0;
    }
    bytes += size;
    index += char.length;
  }
  if (index > start) pieces.push(text.slice(start));
  return pieces;
}

/** The size of `text` as a JSON string's contents, in UTF-8 bytes (escapes included). */
export function jsonTextBytes(text: string): number {
  let bytes = 0;
  for (const char of text) bytes += jsonBytes(char);
  return bytes;
}

function jsonBytes(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (
    char === '"' ||
    char === '\\' ||
    char === '\n' ||
    char === '\r' ||
    char === '\t' ||
    char === '\b' ||
    char === '\f'
  )
    return 2;
  if (code < 0x20) return 6;
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  if (code >= 0xd800 && code <= 0xdfff) return 6; // a lone surrogate is escaped as \uXXXX
  if (code < 0x10000) return 3;
  return 4;
}
