import type { BenchResults, Target } from './results.ts';
import { type ModelConversation, shortModelName } from './scenarios/long-conversation.ts';

type Sections = Omit<BenchResults, 'format' | 'version' | 'meta' | 'targets'>;

const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? 'n/a' : `${value} ms`;

/** The figures to reach, checked against what the run measured (none of them fails the run). */
export function evaluateTargets(results: Sections): Target[] {
  const overhead = results.handlerOverhead?.rows.find(
    (row) => row.design === 'ours' && row.concurrency === 1,
  );
  const [shortAnswer, , longAnswer] = results.comparison?.cases ?? [];
  const handlers = results.coldStart?.handlers ?? [];
  const largest = Math.max(...handlers.map((row) => row.bundleBytes));
  const slowest = Math.max(...handlers.map((row) => row.loadMsMedian ?? Number.POSITIVE_INFINITY));
  const fewerPushes =
    longAnswer?.ratios.pushesPer1000Tokens === null || longAnswer === undefined
      ? undefined
      : 1 / (longAnswer.ratios.pushesPer1000Tokens ?? Number.NaN);
  const beyondModel = results.comparison?.firstTokenBeyondModelMs;
  const heldBack =
    beyondModel?.longAnswer === null || beyondModel?.shortAnswer === null || beyondModel === undefined
      ? undefined
      : Math.round((beyondModel.longAnswer - beyondModel.shortAnswer) * 100) / 100;
  const emulator = results.emulator?.inProcess;
  const stopRow = results.stop?.rows.find((row) => row.stopPollMs === 200);
  const lost = results.scale?.levels.reduce((sum, level) => sum + level.lost + level.versionMismatches, 0);

  const [conversation, ...otherModels] = results.conversation?.models ?? [];
  const check = (present: boolean, met: () => boolean) => (present ? met() : null);
  return [
    {
      figure: 'In-process time to first token, p50 (concurrency 1, zero model latency)',
      goal: '≤ 5 ms',
      measured: ms(overhead?.firstTokenMs.p50),
      met: check(overhead !== undefined, () => (overhead?.firstTokenMs.p50 ?? Infinity) <= 5),
    },
    {
      figure: 'In-process time to first token, p99 (concurrency 1, zero model latency)',
      goal: '≤ 15 ms',
      measured: ms(overhead?.firstTokenMs.p99),
      met: check(overhead !== undefined, () => (overhead?.firstTokenMs.p99 ?? Infinity) <= 15),
    },
    {
      figure: 'Model calls for a turn that needs no tool (reference design: 2)',
      goal: '1',
      measured: `${shortAnswer?.ours.modelCallsPerTurn ?? 'n/a'} (reference ${shortAnswer?.reference.modelCallsPerTurn ?? 'n/a'})`,
      met: check(shortAnswer !== undefined, () => shortAnswer?.ours.modelCallsPerTurn === 1),
    },
    {
      figure: 'Time to first token vs the reference design (no tool, realistic pace)',
      goal: '≤ 0.6×',
      measured: `${shortAnswer?.ratios.firstTokenP50 ?? 'n/a'}×`,
      met: check(shortAnswer !== undefined, () => (shortAnswer?.ratios.firstTokenP50 ?? Infinity) <= 0.6),
    },
    {
      figure: 'Push calls for a long answer vs the reference design',
      goal: '≥ 20× fewer',
      measured: fewerPushes === undefined ? 'n/a' : `${fewerPushes.toFixed(1)}× fewer`,
      met: check(fewerPushes !== undefined, () => (fewerPushes ?? 0) >= 20),
    },
    {
      figure:
        'First token of a long answer vs a short one (same pace, same run): not held back by coalescing',
      goal: '≤ 15 ms later',
      measured:
        heldBack === undefined
          ? 'n/a'
          : `${heldBack} ms (long ${beyondModel?.longAnswer} ms, short ${beyondModel?.shortAnswer} ms after the model’s first token)`,
      met: check(heldBack !== undefined, () => (heldBack ?? Infinity) <= 15),
    },
    {
      figure: 'Largest handler bundle (minified)',
      goal: '≤ 1 MB',
      measured: handlers.length ? `${(largest / 1024).toFixed(0)} KB` : 'n/a',
      met: check(handlers.length > 0, () => largest <= 1024 * 1024),
    },
    {
      figure: 'Slowest handler load, median of fresh processes',
      goal: '≤ 150 ms',
      measured: handlers.length ? ms(slowest) : 'n/a',
      met: check(handlers.length > 0, () => slowest <= 150),
    },
    {
      figure: 'Emulator first event, in process at zero pace, p50',
      goal: '≤ 1 ms',
      measured: ms(emulator?.p50),
      met: check(emulator !== undefined, () => (emulator?.p50 ?? Infinity) <= 1),
    },
    {
      figure: 'Completed turns lost or mis-versioned at every scale level',
      goal: '0',
      measured: String(lost ?? 'n/a'),
      met: check(lost !== undefined, () => lost === 0),
    },
    {
      figure: 'Stop pressed to the turn’s `done`, p95 (in process, realistic pace)',
      goal: '≤ 300 ms',
      measured: ms(stopRow?.stopToDoneMs.p95),
      met: check(stopRow !== undefined, () => (stopRow?.stopToDoneMs.p95 ?? Infinity) <= 300),
    },
    {
      figure: `Input-token cost of a ${results.conversation?.turns ?? 50}-turn conversation vs the reference design (default model)`,
      goal: '≤ 0.25×',
      measured: [conversation, ...otherModels].map(describeCostRatio).join('; '),
      met: check(conversation !== undefined, () => (conversation?.ratios.inputCost ?? Infinity) <= 0.25),
    },
    {
      figure: 'A fact stated in turn 1 still answered in the last turn',
      goal: 'yes',
      measured: conversation ? (conversation.ours.rememberedFirstTurnFact ? 'yes' : 'no') : 'n/a',
      met: check(conversation !== undefined, () => conversation?.ours.rememberedFirstTurnFact === true),
    },
  ];
}

function describeCostRatio(model: ModelConversation | undefined): string {
  if (!model) return 'n/a';
  return `${model.ratios.inputCost}× on ${shortModelName(model.modelId)} (${model.ratios.inputCostVsOneCallReference}× its answer calls alone)`;
}
