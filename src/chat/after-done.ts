import { addUsage, ZERO_USAGE } from './messages.ts';
import { ANONYMOUS_USER, type StoredSession } from './ports.ts';
import { foldSummary, turnsToFold } from './summary/fold-summary.ts';
import { generateTitle } from './title/generate-title.ts';
import type { ModelSpend, TurnDependencies, TurnRun } from './turn.ts';

/**
 * The calls a turn makes after `done`, off the client's path: it names an untitled session, then folds turns
 * that left the window into the summary. Neither throws; what they used is in the owner's usage and returned
 * for the turn's stats.
 */
export async function runAfterDone(
  deps: TurnDependencies,
  run: TurnRun,
  saved: StoredSession,
): Promise<ModelSpend | undefined> {
  return addSpend([await nameAfterTurn(deps, run, saved), await foldAfterTurn(deps, run, saved)]);
}

/** Below this much time left before the deadline, no call is started after `done`: the next turn will try. */
const MIN_AFTER_DONE_MS = 2_000;

/** The time a call after `done` may take: its own timeout, within the Lambda's deadline; undefined: none. */
function afterDoneBudget(deps: TurnDependencies, run: TurnRun, timeoutMs: number): number | undefined {
  const remaining = (run.remainingTimeMs?.() ?? Number.POSITIVE_INFINITY) - deps.settings.deadlineMarginMs;
  const budget = Math.min(timeoutMs, remaining);
  return budget < MIN_AFTER_DONE_MS ? undefined : budget;
}

/** Most a title call may take; a slow one is given up and tried again after the next answer. */
const TITLE_TIMEOUT_MS = 5_000;

/**
 * After the first `done` of an untitled session: names it (title/generate-title.ts), counts the call in the
 * owner's usage, and tells this connection (`sessionUpdated`), so the sidebar shows the title at once. Never
 * throws; another tab sees the title in its next `sessions` list.
 */
async function nameAfterTurn(
  deps: TurnDependencies,
  run: TurnRun,
  saved: StoredSession,
): Promise<ModelSpend | undefined> {
  const { titles, observer } = deps;
  if (!titles || !deps.settings.titles || saved.title) return undefined;
  const budget = afterDoneBudget(deps, run, TITLE_TIMEOUT_MS);
  if (budget === undefined) return undefined;
  try {
    const named = await generateTitle({ ...deps, titles }, saved, AbortSignal.timeout(budget));
    if (!named) return undefined;
    await recordSpend(deps, saved, named);
    if (named.title) {
      observer?.titleGenerated?.({ usage: named.usage });
      await run.reply
        .send({ type: 'sessionUpdated', sessionId: saved.sessionId, title: named.title })
        .catch(() => undefined);
    }
    return named;
  } catch (error) {
    observer?.titleFailed?.(error);
    return undefined;
  }
}

/** Usage of the calls made after `done`, in the owner's totals (never failing the turn, which is saved). */
async function recordSpend(deps: TurnDependencies, saved: StoredSession, spend: ModelSpend): Promise<void> {
  await deps.usage
    .record(saved.ownerId ?? ANONYMOUS_USER, { turns: 0, ...spend.usage, costMicroUsd: spend.costMicroUsd })
    .catch((error: unknown) => deps.observer?.usageNotRecorded?.(error));
}

function addSpend(spends: ReadonlyArray<ModelSpend | undefined>): ModelSpend | undefined {
  const present = spends.filter((spend): spend is ModelSpend => spend !== undefined);
  if (present.length === 0) return undefined;
  return {
    usage: present.reduce((sum, spend) => addUsage(sum, spend.usage), ZERO_USAGE),
    costMicroUsd: present.reduce((sum, spend) => sum + spend.costMicroUsd, 0),
  };
}

/**
 * After `done`: folds turns that left the window into the summary (fold-summary.ts). Never throws; a failed
 * or skipped fold keeps the turns, and what the summary call used is counted in the owner's usage.
 */
async function foldAfterTurn(
  deps: TurnDependencies,
  run: TurnRun,
  saved: StoredSession,
): Promise<ModelSpend | undefined> {
  const { settings, observer } = deps;
  if (!settings.summary || turnsToFold(saved.messages, settings) === undefined) return undefined;
  const budget = afterDoneBudget(deps, run, settings.summary.timeoutMs);
  if (budget === undefined) return undefined;
  try {
    const stable = run.stableMessages ? { cache: { stableMessages: run.stableMessages } } : {};
    const fold = await foldSummary(
      deps,
      saved,
      { system: run.system, ...stable },
      AbortSignal.timeout(budget),
    );
    if (!fold) return undefined;
    await recordSpend(deps, saved, fold);
    if (fold.session) {
      const turns = (fold.session.summary?.turns ?? 0) - (saved.summary?.turns ?? 0);
      observer?.summaryFolded?.({ turns, usage: fold.usage });
    }
    return fold;
  } catch (error) {
    observer?.summaryFailed?.(error);
    return undefined;
  }
}
