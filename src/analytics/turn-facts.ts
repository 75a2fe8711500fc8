import type { TokenUsage } from '../chat/messages.ts';
import type { ErrorCode, FeedbackRating, StopReason } from '../protocol/server-frame.ts';
import { bucketOf } from './histogram.ts';

/**
 * What one run of the model loop contributes to the usage figures, gathered from the turn's observer hooks
 * (src/lambda/turn-stats.ts). It is the one input of both the EMF metrics and the stats ledger's counters.
 */
export interface TurnFacts {
  /** A new turn (sendMessage), or a resumed answer (resume). */
  kind: 'turn' | 'resume';
  sessionId: string;
  /** The session's owner; ANONYMOUS_USER when auth is off. */
  userId: string;
  /** Epoch ms: when the turn was asked for, and when it ended. */
  startedAt: number;
  finishedAt: number;
  /** The turn ran in a fresh Lambda container (its first invocation). */
  coldStart: boolean;
  /** This turn created the session (its first saved turn). */
  newSession: boolean;
  outcome: 'completed' | 'interrupted' | 'failed';
  stopReason?: StopReason;
  errorCode?: ErrorCode;
  /** The tools the model called, one entry per call. */
  tools: readonly string[];
  usage: TokenUsage;
  costMicroUsd: number;
  timeToFirstTokenMs?: number;
  durationMs: number;
}

/** A request refused before any turn ran (rate limit, foreign session, bad frame…): it counts as an error. */
export interface Refusal {
  userId: string;
  code: ErrorCode;
  at: number;
}

/** A rating of an answer (sendFeedback); `previous` is the rating it replaced, if the answer had one. */
export interface FeedbackFact {
  userId: string;
  rating: FeedbackRating;
  previous?: FeedbackRating;
  at: number;
}

/**
 * A step of a handoff to a person (docs/decisions/0026), counted for the user whose conversation it is:
 * handed off (with its reason), claimed by an agent (after waiting), back to the assistant, or cancelled.
 */
export interface HandoffFact {
  userId: string;
  step: 'queued' | 'claimed' | 'released' | 'cancelled';
  reason: string;
  /** For `claimed`: how long the conversation waited for a person. */
  waitedMs?: number;
  at: number;
}

/**
 * Counter names of the stats ledger. Each turn ADDs to these; figures read them back (figures.ts). A new
 * figure that counts something per turn (handoffs, feedback) adds a name here and a line in `countersOf`.
 */
export const COUNTERS = {
  turns: 'turns',
  resumes: 'resumes',
  sessionsStarted: 'sessionsStarted',
  coldStarts: 'coldStarts',
  inputTokens: 'inputTokens',
  outputTokens: 'outputTokens',
  cacheReadTokens: 'cacheReadTokens',
  cacheWriteTokens: 'cacheWriteTokens',
  costMicroUsd: 'costMicroUsd',
  ttftCount: 'ttft.count',
  ttftSumMs: 'ttft.sumMs',
  durationSumMs: 'duration.sumMs',
  handoffWaitSumMs: 'handoffWait.sumMs',
} as const;

/** Prefixes of counters with a key: `tool.<name>`, `error.<code>`, `stop.<reason>`, `outcome.<outcome>`. */
export const KEYED = {
  tool: 'tool.',
  error: 'error.',
  stop: 'stop.',
  outcome: 'outcome.',
  feedback: 'feedback.',
  handoffReason: 'handoffReason.',
  handoffStep: 'handoffStep.',
  ttftBucket: 'ttft.b',
  durationBucket: 'duration.b',
} as const;

export type Counters = Record<string, number>;

/** The counters one turn adds (only non-zero ones, so an item stores only what happened). */
export function countersOf(facts: TurnFacts): Counters {
  const counters: Counters = {};
  const add = (name: string, value: number) => {
    if (value !== 0) counters[name] = (counters[name] ?? 0) + value;
  };
  add(facts.kind === 'turn' ? COUNTERS.turns : COUNTERS.resumes, 1);
  add(COUNTERS.sessionsStarted, facts.newSession ? 1 : 0);
  add(COUNTERS.coldStarts, facts.coldStart ? 1 : 0);
  add(`${KEYED.outcome}${facts.outcome}`, 1);
  if (facts.stopReason) add(`${KEYED.stop}${facts.stopReason}`, 1);
  if (facts.errorCode) add(`${KEYED.error}${facts.errorCode}`, 1);
  for (const tool of facts.tools) add(`${KEYED.tool}${tool}`, 1);
  add(COUNTERS.inputTokens, facts.usage.inputTokens);
  add(COUNTERS.outputTokens, facts.usage.outputTokens);
  add(COUNTERS.cacheReadTokens, facts.usage.cacheReadTokens ?? 0);
  add(COUNTERS.cacheWriteTokens, facts.usage.cacheWriteTokens ?? 0);
  add(COUNTERS.costMicroUsd, facts.costMicroUsd);
  if (facts.timeToFirstTokenMs !== undefined) {
    add(COUNTERS.ttftCount, 1);
    add(COUNTERS.ttftSumMs, Math.round(facts.timeToFirstTokenMs));
    add(`${KEYED.ttftBucket}${bucketOf(facts.timeToFirstTokenMs)}`, 1);
  }
  add(COUNTERS.durationSumMs, Math.round(facts.durationMs));
  add(`${KEYED.durationBucket}${bucketOf(facts.durationMs)}`, 1);
  return counters;
}

/**
 * The counters a rating adds: one for its rating, and minus one for the rating it replaced, so that the
 * totals count each answer's current rating once (a changed mind moves a count, a repeated one adds none).
 */
export function feedbackCountersOf(fact: FeedbackFact): Counters {
  if (fact.previous === fact.rating) return {};
  return {
    [`${KEYED.feedback}${fact.rating}`]: 1,
    ...(fact.previous ? { [`${KEYED.feedback}${fact.previous}`]: -1 } : {}),
  };
}

/** The counters a handoff's step adds: the step, and the reason of a new handoff or the wait of a claim. */
export function handoffCountersOf(fact: HandoffFact): Counters {
  return {
    [`${KEYED.handoffStep}${fact.step}`]: 1,
    ...(fact.step === 'queued' ? { [`${KEYED.handoffReason}${fact.reason}`]: 1 } : {}),
    ...(fact.step === 'claimed' && fact.waitedMs !== undefined
      ? { [COUNTERS.handoffWaitSumMs]: Math.max(0, Math.round(fact.waitedMs)) }
      : {}),
  };
}

/** The counters a refused request adds. */
export function refusalCountersOf(refusal: Refusal): Counters {
  return { [`${KEYED.error}${refusal.code}`]: 1 };
}
