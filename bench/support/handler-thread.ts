import { Worker } from 'node:worker_threads';
import { now } from './clock.ts';

/** One Lambda invocation: the connection it comes from, its signed-in user and the WebSocket frame's text. */
export interface Invocation {
  connectionId: string;
  userId?: string;
  body: string;
}

/** When an invocation started and returned, on the main thread's clock. */
export interface InvocationTiming {
  connectionId: string;
  startedAt: number;
  endedAt: number;
  /** Set when the handler threw (the chat's handlers never should). */
  failure?: string;
}

export type ThreadRequest =
  | { type: 'ping'; id: number }
  | { type: 'invoke'; lanes: Invocation[][]; timeoutMs: number };

export type ThreadReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'pong'; id: number; at: number }
  | { type: 'invoked'; timings: InvocationTiming[]; busyMs: number };

/** What a batch of invocations took. */
export interface InvocationBatch {
  timings: InvocationTiming[];
  /**
   * Time the handler thread's event loop was busy (running JS, making syscalls) rather than waiting on I/O:
   * the handler's own cost, whatever DynamoDB and the model take.
   */
  busyMs: number;
}

/** A handler module loaded in its own thread, like a warm Lambda container, invoked in lanes. */
export interface HandlerThread {
  /** Runs every lane at once, the invocations of a lane one after another. */
  invoke(lanes: Invocation[][], options?: { timeoutMs?: number }): Promise<InvocationBatch>;
  stop(): Promise<void>;
}

/**
 * Starts a worker thread with `env` as its process.env and loads `module` there. The handler gets a thread to
 * itself, as in a Lambda container, while the fakes of API Gateway and Bedrock run on the main thread.
 */
export async function startHandlerThread(options: {
  module: string;
  functionName: string;
  env: Record<string, string>;
}): Promise<HandlerThread> {
  const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
    workerData: {
      entry: new URL('./handler-thread-worker.ts', import.meta.url).href,
      module: options.module,
      functionName: options.functionName,
    },
    env: options.env,
    // Logs are part of a handler's cost, so they are written, then dropped here instead of flooding the table.
    stdout: true,
    stderr: true,
  });
  worker.stdout.resume();
  const stderr: string[] = [];
  worker.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));

  const replies: Array<(reply: ThreadReply) => void> = [];
  const failure = new Promise<never>((_, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`handler thread exited (${code}): ${stderr.join('')}`)));
  });
  failure.catch(() => undefined);
  worker.on('message', (reply: ThreadReply) => replies.shift()?.(reply));
  const next = () => Promise.race([new Promise<ThreadReply>((resolve) => replies.push(resolve)), failure]);
  const ask = (request: ThreadRequest) => {
    const answer = next();
    worker.postMessage(request);
    return answer;
  };

  const ready = await next();
  if (ready.type === 'failed') {
    await worker.terminate();
    throw new Error(`Could not load ${options.module} in a handler thread:\n${ready.message}`);
  }
  const offset = await measureClockOffset(ask);

  return {
    async invoke(lanes, { timeoutMs = 28_000 } = {}) {
      const answer = await ask({ type: 'invoke', lanes, timeoutMs });
      if (answer.type !== 'invoked') throw new Error(`unexpected reply from handler thread: ${answer.type}`);
      return {
        busyMs: answer.busyMs,
        timings: answer.timings.map((timing) => ({
          ...timing,
          startedAt: timing.startedAt - offset,
          endedAt: timing.endedAt - offset,
        })),
      };
    },
    async stop() {
      await worker.terminate();
    },
  };
}

/**
 * How far the worker's clock is ahead of this thread's: the worker's reading minus the midpoint of the
 * round trip, from the fastest of a few pings (the one least disturbed by scheduling).
 */
async function measureClockOffset(ask: (request: ThreadRequest) => Promise<ThreadReply>): Promise<number> {
  let best = { roundTrip: Number.POSITIVE_INFINITY, offset: 0 };
  for (let id = 0; id < 20; id++) {
    const sentAt = now();
    const pong = await ask({ type: 'ping', id });
    const receivedAt = now();
    if (pong.type !== 'pong') throw new Error(`unexpected reply from handler thread: ${pong.type}`);
    const roundTrip = receivedAt - sentAt;
    if (roundTrip < best.roundTrip) best = { roundTrip, offset: pong.at - (sentAt + receivedAt) / 2 };
  }
  return best.offset;
}
