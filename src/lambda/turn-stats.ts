import { METRICS } from '../analytics/metrics.ts';
import type { StatsLedger } from '../analytics/stats-ledger.ts';
import type { TurnFacts } from '../analytics/turn-facts.ts';
import { addUsage } from '../chat/messages.ts';
import { ANONYMOUS_USER, type Clock } from '../chat/ports.ts';
import type { TurnDependencies, TurnObserver, TurnSummary } from '../chat/turn.ts';
import { addMetric, type Observability } from './observability.ts';

/** What the route knows of a turn that its summary does not. */
export interface TurnStatsContext {
  kind: TurnFacts['kind'];
  sessionId: string;
  /** The caller, who owns the session (runTurn refuses anyone else); absent when auth is off. */
  userId: string | undefined;
  coldStart: boolean;
}

/**
 * Runs one turn with an observer that also gathers its facts (the tools it called, its summary), then emits
 * the usage metrics of those facts and records them in the stats ledger: one UpdateItem, after `done`. A
 * failed stats write is logged and loses only this turn from the figures; the turn itself is saved.
 */
export function createTurnStats(deps: { observability: Observability; stats: StatsLedger; clock: Clock }) {
  const { observability, stats, clock } = deps;
  return async function withTurnStats(
    turn: TurnDependencies,
    context: TurnStatsContext,
    run: (turn: TurnDependencies) => Promise<unknown>,
  ): Promise<void> {
    const tools: string[] = [];
    let facts: TurnFacts | undefined;
    const base = turn.observer;
    const observer: TurnObserver = {
      ...base,
      toolCalled(call) {
        tools.push(call.name);
        base?.toolCalled?.(call);
      },
      turnFinished(summary, durationMs) {
        base?.turnFinished?.(summary, durationMs);
        // A replay (a retried turn id, a second tab) sends a stored answer again: no model call, no new turn.
        if (summary.outcome === 'replayed') return;
        facts = factsOf(summary, durationMs, { ...context, tools, finishedAt: clock.now() });
        emitUsageMetrics(observability, facts);
      },
    };
    try {
      await run({ ...turn, observer });
    } finally {
      if (facts) {
        await stats.recordTurn(facts).catch((error: unknown) => {
          observability.logger.warn('usage stats not recorded; the turn itself was saved', { error });
        });
      }
    }
  };
}

/** A turn's facts from its summary and what the route knows. */
export function factsOf(
  summary: TurnSummary,
  durationMs: number,
  context: TurnStatsContext & { tools: readonly string[]; finishedAt: number },
): TurnFacts {
  return {
    kind: context.kind,
    sessionId: context.sessionId,
    userId: context.userId ?? ANONYMOUS_USER,
    startedAt: Math.round(context.finishedAt - durationMs),
    finishedAt: context.finishedAt,
    coldStart: context.coldStart,
    // Version 1 is written once per session: by the turn that created it.
    newSession: context.kind === 'turn' && summary.savedVersion === 1,
    outcome: summary.outcome === 'replayed' ? 'completed' : summary.outcome,
    ...(summary.stopReason ? { stopReason: summary.stopReason } : {}),
    ...(summary.errorCode ? { errorCode: summary.errorCode } : {}),
    tools: [...context.tools],
    // The calls after `done` (title, summary) are the user's spending too, as in their getUsage totals.
    usage: summary.afterDone ? addUsage(summary.usage, summary.afterDone.usage) : summary.usage,
    costMicroUsd: (summary.costMicroUsd ?? 0) + (summary.afterDone?.costMicroUsd ?? 0),
    ...(summary.timings.firstTokenMs === undefined
      ? {}
      : { timeToFirstTokenMs: summary.timings.firstTokenMs }),
    durationMs,
  };
}

/** The usage metrics only the route can tell (the rest come from the turn observer, observability.ts). */
function emitUsageMetrics({ metrics }: Observability, facts: TurnFacts): void {
  addMetric(metrics, facts.kind === 'turn' ? METRICS.turns : METRICS.resumes, 1);
  if (facts.newSession) addMetric(metrics, METRICS.sessionsStarted, 1);
}
