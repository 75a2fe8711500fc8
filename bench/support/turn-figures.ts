import type { TurnMeasurement } from './measure-turns.ts';
import { round, type Summary, summarize } from './stats.ts';

/** What a run of turns comes to, per turn, as the results file reports it. */
export interface TurnFigures {
  turns: number;
  errors: number;
  errorCodes: Record<string, number>;
  firstTokenMs: Summary;
  /** Invocation to the first frame of any kind: a tool's status line can come before any token. */
  firstFrameMs: Summary;
  doneMs: Summary;
  /** The handler's own split of its time to the first token; null for a design that does not log one. */
  firstTokenPhasesMs: { ready: Summary; model: Summary; push: Summary } | null;
  /** CPU time of the handler's process per turn: its own cost, without the time it waits. */
  cpuMsPerTurn: number;
  turnsPerSecond: number;
  /** Converse + ConverseStream calls (knowledge-base Retrieve calls are tool calls, not model calls). */
  modelCallsPerTurn: number;
  pushesPerTurn: number;
  tokensPerTurn: number;
  /** PostToConnection calls per 1,000 streamed tokens. */
  pushesPer1000Tokens: number | null;
  /** Null when the run did not count DynamoDB requests. */
  dynamodbCallsPerTurn: number | null;
  dynamodbCallsPerTurnByOperation: Record<string, number> | null;
}

export function toTurnFigures(measured: TurnMeasurement): TurnFigures {
  const perTurn = (count: number) => (measured.turns === 0 ? 0 : round(count / measured.turns));
  const dynamodb = measured.dynamodb;
  return {
    turns: measured.turns,
    errors: measured.errors,
    errorCodes: measured.errorCodes,
    firstTokenMs: summarize(measured.firstTokenMs),
    firstFrameMs: summarize(measured.firstFrameMs),
    doneMs: summarize(measured.doneMs),
    firstTokenPhasesMs:
      measured.firstTokenPhasesMs.ready.length === 0
        ? null
        : {
            ready: summarize(measured.firstTokenPhasesMs.ready),
            model: summarize(measured.firstTokenPhasesMs.model),
            push: summarize(measured.firstTokenPhasesMs.push),
          },
    cpuMsPerTurn: perTurn(measured.cpuMs),
    turnsPerSecond: measured.wallMs === 0 ? 0 : round(measured.turns / (measured.wallMs / 1000)),
    modelCallsPerTurn: perTurn(measured.modelCalls.Converse + measured.modelCalls.ConverseStream),
    pushesPerTurn: perTurn(measured.pushes),
    tokensPerTurn: perTurn(measured.tokens),
    pushesPer1000Tokens: measured.tokens === 0 ? null : round((measured.pushes / measured.tokens) * 1000),
    dynamodbCallsPerTurn: dynamodb ? perTurn(Object.values(dynamodb).reduce((sum, n) => sum + n, 0)) : null,
    dynamodbCallsPerTurnByOperation: dynamodb
      ? Object.fromEntries(Object.entries(dynamodb).map(([operation, n]) => [operation, perTurn(n)]))
      : null,
  };
}
