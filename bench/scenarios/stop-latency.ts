import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScriptedPace } from '../../emulator/scripted-response.ts';
import { ROOT } from '../../local/stack.ts';
import type { StackInfo } from '../../test/support/stack-info.ts';
import { type BenchRig, startBenchRig } from '../support/bench-rig.ts';
import { now } from '../support/clock.ts';
import type { ConnectionRecord } from '../support/connections-server.ts';
import { DESIGNS } from '../support/design-under-test.ts';
import { type HandlerProcess, startHandlerProcess } from '../support/handler-process.ts';
import { round, type Summary, summarize } from '../support/stats.ts';
import { SHORT_QUESTION } from './handler-overhead.ts';

export interface StopLatencyOptions {
  pace: ScriptedPace;
  /** Stops per poll interval, in `blocks` alternating rounds. */
  stops: number;
  blocks: number;
  /** How long an answer to stop is (tokens); it must outlast the latest Stop and one old poll. */
  answerTokens: number;
  /** Stop is pressed this long after the first token at most; the delays spread evenly below it. */
  maxDelayMs: number;
  /** Answers streamed to their end, per interval, to count the polls' reads. */
  costTurns: number;
  costAnswerTokens: number;
}

/** One poll interval: how fast a Stop took effect, and what its polling reads cost. */
export interface StopLatencyRow {
  name: string;
  stopPollMs: number;
  stops: number;
  /** Stops that ended the turn `cancelled` with `keptThroughSeq` equal to the seq the client showed. */
  frozenAsShown: number;
  /** Stop pressed (the `cancel` invocation starts) to the `done` frame's arrival. */
  stopToDoneMs: Summary;
  /** Stop pressed to the turn's last token frame (0 when none came after Stop). */
  stopToLastTokenMs: Summary;
  /** Token frames that arrived after Stop (a client that froze the answer ignores them). */
  tokenFramesAfterStop: Summary;
  /** GetItem calls of the stop poll per second of streaming (the turn's reads less a turn that never polls). */
  pollReadsPerTurnSecond: number | null;
}

export interface StopLatencyResult {
  pace: ScriptedPace;
  rows: StopLatencyRow[];
}

/** The poll intervals compared: this project's, and decision 5's once a second (starting one second in). */
export const STOP_POLLS = [
  { name: 'poll every 200 ms (decision 19)', stopPollMs: 200 },
  { name: 'poll every 1 s (decision 5)', stopPollMs: 1000 },
] as const;
/** A poll that never comes within a turn: the reads every turn makes anyway. */
const NO_POLL_MS = 3_600_000;

interface PollSubject {
  name: string;
  stopPollMs: number;
  rig: BenchRig;
  send: HandlerProcess;
  cancel: HandlerProcess;
  stop(): Promise<void>;
}

/**
 * Section 7: Stop. The real sendMessage and cancel handlers, each warm in a process of its own, against
 * DynamoDB Local (through a counting proxy) and the scripted model at a realistic pace. A turn streams, Stop is
 * pressed at a spread of moments after its first token (with the seq the client had shown), and the section
 * times Stop to the turn's `done` and to its last token frame, for the stop poll of decision 19 and the
 * once-a-second poll of decision 5, in alternating blocks. Then whole answers count the poll's reads.
 */
export async function measureStopLatency(
  stack: StackInfo,
  options: StopLatencyOptions,
): Promise<StopLatencyResult> {
  const subjects: PollSubject[] = [];
  try {
    for (const poll of STOP_POLLS) subjects.push(await startPollSubject(stack, options.pace, poll));
    const samples = new Map(subjects.map((subject) => [subject, [] as StopSample[]]));
    const perBlock = Math.max(1, Math.ceil(options.stops / options.blocks));
    for (let block = 0, done = 0; done < options.stops; block++, done += perBlock) {
      for (const subject of subjects) {
        for (let index = done; index < Math.min(options.stops, done + perBlock); index++) {
          // An even spread of moments, so Stop lands at every phase of both polls.
          const delayMs = Math.round(((index * 7) % options.stops) * (options.maxDelayMs / options.stops));
          samples.get(subject)?.push(await stopOneTurn(subject, options, `stop-${block}-${index}`, delayMs));
        }
      }
    }

    const baseline = await startPollSubject(stack, options.pace, { name: 'no poll', stopPollMs: NO_POLL_MS });
    subjects.push(baseline);
    const costOf = async (subject: PollSubject) => streamWholeAnswers(subject, options);
    const withoutPoll = await costOf(baseline);
    const rows: StopLatencyRow[] = [];
    for (const subject of subjects.slice(0, STOP_POLLS.length)) {
      const cost = await costOf(subject);
      const taken = samples.get(subject) ?? [];
      rows.push({
        name: subject.name,
        stopPollMs: subject.stopPollMs,
        stops: taken.length,
        frozenAsShown: taken.filter((sample) => sample.frozenAsShown).length,
        stopToDoneMs: summarize(taken.flatMap((sample) => sample.stopToDoneMs ?? [])),
        stopToLastTokenMs: summarize(taken.map((sample) => sample.stopToLastTokenMs)),
        tokenFramesAfterStop: summarize(taken.map((sample) => sample.tokenFramesAfterStop)),
        pollReadsPerTurnSecond:
          cost.turnSeconds > 0 ? round((cost.getItems - withoutPoll.getItems) / cost.turnSeconds) : null,
      });
    }
    return { pace: options.pace, rows };
  } finally {
    await Promise.all(subjects.map((subject) => subject.stop()));
  }
}

interface StopSample {
  stopToDoneMs?: number;
  stopToLastTokenMs: number;
  tokenFramesAfterStop: number;
  frozenAsShown: boolean;
}

async function startPollSubject(
  stack: StackInfo,
  pace: ScriptedPace,
  poll: { name: string; stopPollMs: number },
): Promise<PollSubject> {
  const rig = await startBenchRig({ stack, pace, countDynamoDb: true });
  const started: HandlerProcess[] = [];
  try {
    const env = { ...rig.env, CHAT_STOP_POLL_MS: String(poll.stopPollMs) };
    const load = async (route: 'sendMessage' | 'cancel', module: string) => {
      const handler = await startHandlerProcess({
        module: pathToFileURL(module).href,
        functionName: `bench-stop-${route}`,
        env,
      });
      started.push(handler);
      return handler;
    };
    const send = await load('sendMessage', DESIGNS.ours);
    const cancel = await load('cancel', resolve(ROOT, 'src/handlers/cancel.ts'));
    return {
      ...poll,
      rig,
      send,
      cancel,
      async stop() {
        await Promise.all(started.map((handler) => handler.stop()));
        await rig.close();
      },
    };
  } catch (error) {
    await Promise.all(started.map((handler) => handler.stop()));
    await rig.close();
    throw error;
  }
}

/** Streams one long answer, presses Stop `delayMs` after its first token, and times what followed. */
async function stopOneTurn(
  subject: PollSubject,
  options: StopLatencyOptions,
  label: string,
  delayMs: number,
): Promise<StopSample> {
  const connectionId = `${label}-${crypto.randomUUID()}`;
  const userId = 'bench-stop-user';
  const sessionId = crypto.randomUUID();
  const turnId = crypto.randomUUID();
  const message = `${SHORT_QUESTION} #tokens:${options.answerTokens}`;
  const turn = subject.send.invoke([
    [{ connectionId, userId, body: JSON.stringify({ action: 'sendMessage', sessionId, turnId, message }) }],
  ]);
  const record = () => subject.rig.connections.record(connectionId);
  const firstToken = await waitUntil(
    () => record()?.firstTokenAt !== undefined || record()?.end !== undefined,
  );
  if (!firstToken || record()?.end) throw new Error(`turn ${label} ended or stalled before its first token`);
  await new Promise((resolve) => setTimeout(resolve, delayMs));

  const shown = record() as ConnectionRecord;
  const seenSeq = shown.lastSeq ?? -1;
  const framesShown = shown.tokenFrames;
  const stopAt = now();
  await subject.cancel.invoke([
    [
      {
        connectionId: `${connectionId}-stop`,
        userId,
        body: JSON.stringify({ action: 'cancel', sessionId, turnId, seenSeq }),
      },
    ],
  ]);
  await turn;
  const ended = record() as ConnectionRecord;
  return {
    stopToDoneMs: ended.end === 'done' && ended.endAt !== undefined ? ended.endAt - stopAt : undefined,
    stopToLastTokenMs: Math.max(0, (ended.lastTokenAt ?? stopAt) - stopAt),
    tokenFramesAfterStop: ended.tokenFrames - framesShown,
    frozenAsShown: ended.stopReason === 'cancelled' && ended.keptThroughSeq === seenSeq,
  };
}

/** Streams whole answers (no Stop) and counts their GetItem calls and their streaming time. */
async function streamWholeAnswers(subject: PollSubject, options: StopLatencyOptions) {
  subject.rig.reset();
  const message = `${SHORT_QUESTION} #tokens:${options.costAnswerTokens}`;
  const lane = Array.from({ length: options.costTurns }, (_, index) => ({
    connectionId: `stop-cost-${index}-${crypto.randomUUID()}`,
    userId: 'bench-stop-user',
    body: JSON.stringify({
      action: 'sendMessage',
      sessionId: crypto.randomUUID(),
      turnId: crypto.randomUUID(),
      message,
    }),
  }));
  const { timings } = await subject.send.invoke([lane]);
  const turnSeconds = timings.reduce((sum, timing) => sum + (timing.endedAt - timing.startedAt), 0) / 1000;
  return { getItems: subject.rig.dynamodb?.counts().GetItem ?? 0, turnSeconds };
}

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<boolean> {
  const giveUpAt = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > giveUpAt) return false;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return true;
}
