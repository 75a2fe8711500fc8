import { fork } from 'node:child_process';
import type { FirstTokenTimings } from '../../src/chat/turn.ts';
import { now } from './clock.ts';

/** One Lambda invocation: the connection it comes from, its signed-in user and the WebSocket frame's text. */
export interface Invocation {
  connectionId: string;
  userId?: string;
  body: string;
}

/** When an invocation started and returned, on this process's clock. */
export interface InvocationTiming {
  connectionId: string;
  startedAt: number;
  endedAt: number;
  /** Set when the handler threw (the chat's handlers never should). */
  failure?: string;
  /** From the handler's own `turn finished` log line; absent for a design that does not log one. */
  firstToken?: FirstTokenTimings;
}

/** What a batch of invocations took. */
export interface InvocationBatch {
  timings: InvocationTiming[];
  /**
   * CPU time (user + system) the handler's process used for the batch: the handler's own cost, whatever
   * DynamoDB and the model take, and unlike wall time not inflated by other work on a shared machine.
   */
  cpuMs: number;
}

export type ProcessRequest =
  | { type: 'ping'; id: number }
  | { type: 'invoke'; lanes: Invocation[][]; timeoutMs: number; staggerMs: number };

export type ProcessReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'pong'; id: number; at: number }
  | { type: 'invoked'; timings: InvocationTiming[]; cpuMs: number };

/** A handler module loaded in a process of its own, like a warm Lambda container, invoked in lanes. */
export interface HandlerProcess {
  /**
   * Runs every lane at once, the invocations of a lane one after another; lane i starts `staggerMs` × i late,
   * so lanes of equally long turns do not march in step (every lane's first token at the same instant).
   */
  invoke(
    lanes: Invocation[][],
    options?: { timeoutMs?: number; staggerMs?: number },
  ): Promise<InvocationBatch>;
  stop(): Promise<void>;
}

/**
 * Forks a Node process with `env` as its whole environment and loads `module` there. The handler gets a
 * process to itself, as in a Lambda container, while the fakes of API Gateway and Bedrock run here.
 */
export async function startHandlerProcess(options: {
  module: string;
  functionName: string;
  env: Record<string, string>;
}): Promise<HandlerProcess> {
  const child = fork(
    new URL('./handler-process-child.ts', import.meta.url),
    [options.module, options.functionName],
    {
      env: options.env,
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      // Logs are part of a handler's cost, so they are written, then dropped here instead of flooding the table.
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  child.stdout?.resume();
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));

  const replies: Array<(reply: ProcessReply) => void> = [];
  const exited = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`handler process exited (${code}): ${stderr.join('').slice(-2000)}`)),
    );
  });
  exited.catch(() => undefined);
  child.on('message', (reply: ProcessReply) => replies.shift()?.(reply));
  const next = () => Promise.race([new Promise<ProcessReply>((resolve) => replies.push(resolve)), exited]);
  const ask = (request: ProcessRequest) => {
    const answer = next();
    child.send(request);
    return answer;
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await gone;
  };

  const ready = await next();
  if (ready.type === 'failed') {
    await stop();
    throw new Error(`Could not load ${options.module} in a handler process:\n${ready.message}`);
  }
  const offset = await measureClockOffset(ask);

  return {
    async invoke(lanes, { timeoutMs = 28_000, staggerMs = 0 } = {}) {
      const answer = await ask({ type: 'invoke', lanes, timeoutMs, staggerMs });
      if (answer.type !== 'invoked') throw new Error(`unexpected reply from handler process: ${answer.type}`);
      return {
        cpuMs: answer.cpuMs,
        timings: answer.timings.map((timing) => ({
          ...timing,
          startedAt: timing.startedAt - offset,
          endedAt: timing.endedAt - offset,
        })),
      };
    },
    stop,
  };
}

/**
 * How far the child's clock is ahead of this process's: the child's reading minus the midpoint of the round
 * trip, from the fastest of a few pings (the one least disturbed by scheduling).
 */
async function measureClockOffset(ask: (request: ProcessRequest) => Promise<ProcessReply>): Promise<number> {
  let best = { roundTrip: Number.POSITIVE_INFINITY, offset: 0 };
  for (let id = 0; id < 20; id++) {
    const sentAt = now();
    const pong = await ask({ type: 'ping', id });
    const receivedAt = now();
    if (pong.type !== 'pong') throw new Error(`unexpected reply from handler process: ${pong.type}`);
    const roundTrip = receivedAt - sentAt;
    if (roundTrip < best.roundTrip) best = { roundTrip, offset: pong.at - (sentAt + receivedAt) / 2 };
  }
  return best.offset;
}
