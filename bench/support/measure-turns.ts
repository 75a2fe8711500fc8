import type { Operation } from '../../emulator/bedrock-types.ts';
import { TITLE_INSTRUCTION } from '../../src/chat/title/generate-title.ts';
import type { BenchRig } from './bench-rig.ts';
import type { HandlerProcess, Invocation } from './handler-process.ts';

/** How many turns to run, how, and what to ask. */
export interface TurnPlan {
  /** Names the connection ids, so a run's frames cannot be mistaken for another's. */
  label: string;
  turns: number;
  /** Lanes of invocations running at once; each lane's turns run one after another. */
  concurrency: number;
  message: string;
  /** A lane starts a new session after this many turns, so the stored window stays realistic (0 to 20). */
  turnsPerSession: number;
  /** The Lambda timeout each invocation gets. */
  timeoutMs?: number;
  /** Lane i starts this many milliseconds × i late (see HandlerProcess.invoke). */
  staggerMs?: number;
}

/** Everything a run of turns measured: raw latencies (ms) and counts of the calls the turns made. */
export interface TurnMeasurement {
  turns: number;
  errors: number;
  errorCodes: Record<string, number>;
  /** Invocation start to the first `token` frame's arrival at the @connections server. */
  firstTokenMs: number[];
  /** Invocation start to the first frame of any kind (a tool's `status` can come before any token). */
  firstFrameMs: number[];
  /** Invocation start to the `done` frame's arrival. */
  doneMs: number[];
  /** Where the time to the first token went, by the handler's own timings (empty when it logs none). */
  firstTokenPhasesMs: FirstTokenPhases;
  /** CPU time of the handler's process (see InvocationBatch.cpuMs). */
  cpuMs: number;
  pushes: number;
  /** Model deltas the client received, over all turns. */
  tokens: number;
  modelCalls: Record<Operation, number>;
  /** DynamoDB requests by operation, when the rig counts them. */
  dynamodb?: Record<string, number>;
  wallMs: number;
}

export interface FirstTokenPhases {
  /** Request to ready: the session read and the rate limit (DynamoDB). */
  ready: number[];
  /** Ready to the model's first text: building the request, the model call, the first event decoded. */
  model: number[];
  /** The first text to its token frame delivered: PostToConnection. */
  push: number[];
}

/** Spreads `plan.turns` over `plan.concurrency` lanes of sendMessage invocations, one signed-in user a lane. */
export function planLanes(plan: TurnPlan): Invocation[][] {
  const lanes: Invocation[][] = Array.from({ length: plan.concurrency }, () => []);
  const sessions: string[] = [];
  for (let turn = 0; turn < plan.turns; turn++) {
    const lane = turn % plan.concurrency;
    const laneTurn = Math.floor(turn / plan.concurrency);
    if (laneTurn % plan.turnsPerSession === 0) sessions[lane] = crypto.randomUUID();
    const body = JSON.stringify({
      action: 'sendMessage',
      sessionId: sessions[lane],
      message: plan.message,
      turnId: crypto.randomUUID(),
    });
    lanes[lane]?.push({
      connectionId: `${plan.label}-${lane}-${laneTurn}`,
      userId: `bench-user-${lane}`,
      body,
    });
  }
  return lanes;
}

/** Runs the plan on the handler process against a freshly reset rig and collects what it measured. */
export async function measureTurns(
  handler: HandlerProcess,
  rig: BenchRig,
  plan: TurnPlan,
): Promise<TurnMeasurement> {
  rig.reset();
  const started = performance.now();
  const { timings, cpuMs } = await handler.invoke(planLanes(plan), {
    timeoutMs: plan.timeoutMs,
    staggerMs: plan.staggerMs,
  });
  const wallMs = performance.now() - started;

  const measurement: TurnMeasurement = {
    turns: timings.length,
    errors: 0,
    errorCodes: {},
    firstTokenMs: [],
    firstFrameMs: [],
    doneMs: [],
    firstTokenPhasesMs: { ready: [], model: [], push: [] },
    cpuMs,
    pushes: 0,
    tokens: 0,
    modelCalls: { Converse: 0, ConverseStream: 0, Retrieve: 0 },
    dynamodb: rig.dynamodb?.counts(),
    wallMs,
  };
  for (const timing of timings) {
    const record = rig.connections.record(timing.connectionId);
    measurement.pushes += record?.pushes ?? 0;
    measurement.tokens += record?.tokens ?? 0;
    if (timing.failure || record?.end !== 'done') {
      measurement.errors++;
      const code = timing.failure ? 'THREW' : (record?.errorCode ?? 'NO_END_FRAME');
      measurement.errorCodes[code] = (measurement.errorCodes[code] ?? 0) + 1;
      continue;
    }
    if (record.firstTokenAt !== undefined)
      measurement.firstTokenMs.push(record.firstTokenAt - timing.startedAt);
    if (record.firstFrameAt !== undefined)
      measurement.firstFrameMs.push(record.firstFrameAt - timing.startedAt);
    if (record.endAt !== undefined) measurement.doneMs.push(record.endAt - timing.startedAt);
    const { readyMs, firstTextMs, firstTokenMs } = timing.firstToken ?? {};
    if (readyMs !== undefined && firstTextMs !== undefined && firstTokenMs !== undefined) {
      measurement.firstTokenPhasesMs.ready.push(readyMs);
      measurement.firstTokenPhasesMs.model.push(firstTextMs - readyMs);
      measurement.firstTokenPhasesMs.push.push(firstTokenMs - firstTextMs);
    }
  }
  // A session's title call (once, after its first answer) belongs to no turn; section 8 counts its cost.
  for (const call of rig.emulator.calls()) {
    if (call.turnText !== TITLE_INSTRUCTION) measurement.modelCalls[call.operation]++;
  }
  return measurement;
}

/** Two runs of the same plan as one. */
export function mergeMeasurements(a: TurnMeasurement, b: TurnMeasurement): TurnMeasurement {
  const sum = (x: Record<string, number> = {}, y: Record<string, number> = {}) => {
    const total = { ...x };
    for (const [key, value] of Object.entries(y)) total[key] = (total[key] ?? 0) + value;
    return total;
  };
  return {
    turns: a.turns + b.turns,
    errors: a.errors + b.errors,
    errorCodes: sum(a.errorCodes, b.errorCodes),
    firstTokenMs: [...a.firstTokenMs, ...b.firstTokenMs],
    firstFrameMs: [...a.firstFrameMs, ...b.firstFrameMs],
    doneMs: [...a.doneMs, ...b.doneMs],
    firstTokenPhasesMs: {
      ready: [...a.firstTokenPhasesMs.ready, ...b.firstTokenPhasesMs.ready],
      model: [...a.firstTokenPhasesMs.model, ...b.firstTokenPhasesMs.model],
      push: [...a.firstTokenPhasesMs.push, ...b.firstTokenPhasesMs.push],
    },
    cpuMs: a.cpuMs + b.cpuMs,
    pushes: a.pushes + b.pushes,
    tokens: a.tokens + b.tokens,
    modelCalls: sum(a.modelCalls, b.modelCalls) as TurnMeasurement['modelCalls'],
    dynamodb: a.dynamodb && b.dynamodb ? sum(a.dynamodb, b.dynamodb) : undefined,
    wallMs: a.wallMs + b.wallMs,
  };
}
