import type { BilledUsage } from '../../emulator/response-plan.ts';
import type { ScriptedPace } from '../../emulator/scripted-response.ts';
import { costMicroUsd } from '../../src/chat/pricing.ts';
import { loadConfig } from '../../src/config.ts';
import type { StackInfo } from '../../test/support/stack-info.ts';
import { type Design, type DesignUnderTest, withEveryDesign } from '../support/design-under-test.ts';
import { ratio, round } from '../support/stats.ts';

export interface LongConversationOptions {
  pace: ScriptedPace;
  turns: number;
  /** Length of each answer in the middle of the conversation (a realistic answer is a few hundred tokens). */
  answerTokens: number;
  /** Each model runs the whole conversation on both designs: their prompt-cache minimums differ. */
  modelIds: string[];
}

/** What one design billed for one turn: its answer's model calls and, for ours, the summary fold after `done`. */
export interface BilledTurn extends BilledUsage {
  modelCalls: number;
  /** Input tokens' cost (uncached, cache writes and reads at their prices), micro-USD. */
  inputCostMicroUsd: number;
  firstTokenMs: number | null;
  /** `done`, or the error code the turn ended with. */
  end: string;
  errorMessage?: string;
}

export interface DesignConversation {
  turns: BilledTurn[];
  totals: BilledUsage & { modelCalls: number; inputCostMicroUsd: number; costMicroUsd: number };
  /** The last turn asked for the fact stated in the first; true when the answer still held it. */
  rememberedFirstTurnFact: boolean;
  lastAnswer: string;
  errors: number;
}

export interface LongConversationResult {
  pace: ScriptedPace;
  turns: number;
  answerTokens: number;
  models: ModelConversation[];
}

export interface ModelConversation {
  modelId: string;
  ours: DesignConversation;
  reference: DesignConversation;
  /**
   * The reference design makes two model calls a turn (a planner, then the answer), each with the whole
   * window. Its answer calls alone are what a one-call `slice(-20)` design would pay: the fairer comparison.
   */
  referenceAnswerCallsOnly: { inputCostMicroUsd: number };
  ratios: {
    inputCost: number | null;
    inputCostVsOneCallReference: number | null;
    lastFirstTokenMs: number | null;
  };
}

const FACT =
  'I lead the Orbit project at Acme Robotics, our project code is ORBIT-7 and we launch on 14 March.';
const FACT_QUESTION = 'What is our project code?';
const FACT_ANSWER = 'ORBIT-7';

/** Questions without a tool in them (no time, no resource, nothing the knowledge base covers). */
const TOPICS = [
  'how a team can write clearer meeting notes',
  'ways to keep a long email short',
  'how to plan a week of focused work',
  'what makes a good code review comment',
  'how to explain a technical idea to a new colleague',
  'habits that keep a shared document tidy',
  'how to run a short retrospective',
  'ways to give feedback that people act on',
];

/** Turn 1 states a fact, the middle turns ask for answers of `answerTokens`, the last asks for the fact. */
export function conversationScript(turns: number, answerTokens: number): string[] {
  return Array.from({ length: turns }, (_, index) => {
    if (index === 0) return FACT;
    if (index === turns - 1) return FACT_QUESTION;
    const topic = TOPICS[index % TOPICS.length];
    return `Could you say more about ${topic}, part ${index}? #tokens:${answerTokens}`;
  });
}

/**
 * Section 8: issue 13's long conversation. One scripted session of `turns` turns, the same questions and the
 * same answers for both designs, turn by turn in alternation (ours, reference, ours, ...) so noise lands on
 * both. Every model call is billed as the emulator's prompt cache bills it; ours includes the summary calls
 * it makes after `done`. Prices: the chat's price table (src/config.ts defaults, Claude Haiku 4.5).
 */
export async function measureLongConversation(
  stack: StackInfo,
  options: LongConversationOptions,
): Promise<LongConversationResult> {
  const models: ModelConversation[] = [];
  for (const modelId of options.modelIds) models.push(await converseWith(stack, modelId, options));
  const { pace, turns, answerTokens } = options;
  return { pace, turns, answerTokens, models };
}

async function converseWith(
  stack: StackInfo,
  modelId: string,
  options: LongConversationOptions,
): Promise<ModelConversation> {
  const script = conversationScript(options.turns, options.answerTokens);
  return withEveryDesign({ stack, pace: options.pace, countDynamoDb: false, modelId }, async (subjects) => {
    // The handlers' own price table: both designs run with the same environment.
    const prices = loadConfig(subjects[0]?.rig.env).turn.prices;
    const inputCost = (usage: BilledUsage) =>
      costMicroUsd(
        {
          inputTokens: usage.inputTokens,
          outputTokens: 0,
          cacheReadTokens: usage.cacheReadInputTokens,
          cacheWriteTokens: usage.cacheWriteInputTokens,
        },
        prices,
      );
    const sessions = new Map(subjects.map((subject) => [subject.design, crypto.randomUUID()]));
    const billed = new Map<Design, BilledTurn[]>(subjects.map((subject) => [subject.design, []]));
    const answers = new Map<Design, string[]>(subjects.map((subject) => [subject.design, []]));
    let referenceAnswerCost = 0;
    for (const [index, message] of script.entries()) {
      for (const subject of subjects) {
        const turn = await runTurn(subject, sessions.get(subject.design) as string, message, index);
        billed.get(subject.design)?.push({ ...turn.usage, inputCostMicroUsd: inputCost(turn.usage) });
        answers.get(subject.design)?.push(turn.answer);
        if (subject.design === 'reference') referenceAnswerCost += inputCost(turn.answerCallUsage);
      }
    }

    const conversation = (design: Design): DesignConversation => {
      const turns = billed.get(design) ?? [];
      const lastAnswer = answers.get(design)?.at(-1) ?? '';
      const sum = (pick: (turn: BilledTurn) => number) =>
        turns.reduce((total, turn) => total + pick(turn), 0);
      const totals = {
        inputTokens: sum((turn) => turn.inputTokens),
        outputTokens: sum((turn) => turn.outputTokens),
        cacheReadInputTokens: sum((turn) => turn.cacheReadInputTokens),
        cacheWriteInputTokens: sum((turn) => turn.cacheWriteInputTokens),
        modelCalls: sum((turn) => turn.modelCalls),
        inputCostMicroUsd: round(sum((turn) => turn.inputCostMicroUsd)),
      };
      return {
        turns,
        totals: {
          ...totals,
          costMicroUsd: round(totals.inputCostMicroUsd + totals.outputTokens * prices.outputUsdPerMillion),
        },
        rememberedFirstTurnFact: lastAnswer.includes(FACT_ANSWER),
        lastAnswer,
        errors: turns.filter((turn) => turn.end !== 'done').length,
      };
    };
    const ours = conversation('ours');
    const reference = conversation('reference');
    return {
      modelId,
      ours,
      reference,
      referenceAnswerCallsOnly: { inputCostMicroUsd: round(referenceAnswerCost) },
      ratios: {
        inputCost: ratio(ours.totals.inputCostMicroUsd, reference.totals.inputCostMicroUsd),
        inputCostVsOneCallReference: ratio(ours.totals.inputCostMicroUsd, referenceAnswerCost),
        lastFirstTokenMs: ratio(
          ours.turns.at(-1)?.firstTokenMs ?? null,
          reference.turns.at(-1)?.firstTokenMs ?? null,
        ),
      },
    };
  });
}

interface TurnRun {
  usage: Omit<BilledTurn, 'inputCostMicroUsd'>;
  /** The streamed answer's own model call (ConverseStream), without a planner or a summary call. */
  answerCallUsage: BilledUsage;
  answer: string;
}

async function runTurn(
  subject: DesignUnderTest,
  sessionId: string,
  message: string,
  index: number,
): Promise<TurnRun> {
  const { rig, handler, design } = subject;
  rig.reset();
  const connectionId = `conversation-${design}-${index}`;
  const body = JSON.stringify({ action: 'sendMessage', sessionId, message, turnId: crypto.randomUUID() });
  const { timings } = await handler.invoke([
    [{ connectionId, userId: `bench-conversation-${design}`, body }],
  ]);
  const timing = timings[0];
  const record = rig.connections.record(connectionId);
  const done = !timing?.failure && record?.end === 'done';
  const calls = rig.emulator.calls().filter((call) => call.operation !== 'Retrieve');
  const add = (usages: Array<BilledUsage | undefined>): BilledUsage => {
    const total = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };
    for (const usage of usages) {
      if (!usage) continue;
      total.inputTokens += usage.inputTokens;
      total.outputTokens += usage.outputTokens;
      total.cacheReadInputTokens += usage.cacheReadInputTokens;
      total.cacheWriteInputTokens += usage.cacheWriteInputTokens;
    }
    return total;
  };
  return {
    usage: {
      ...add(calls.map((call) => call.usage)),
      modelCalls: calls.length,
      firstTokenMs:
        done && timing && record?.firstTokenAt !== undefined
          ? round(record.firstTokenAt - timing.startedAt)
          : null,
      end: done ? 'done' : (timing?.failure ?? record?.errorCode ?? 'NO_END_FRAME'),
      ...(record?.errorMessage ? { errorMessage: record.errorMessage } : {}),
    },
    answerCallUsage: add(
      calls.filter((call) => call.operation === 'ConverseStream').map((call) => call.usage),
    ),
    answer: record?.text ?? '',
  };
}

/** `claude-haiku-4-5-20251001` for `us.anthropic.claude-haiku-4-5-20251001-v1:0`. */
export const shortModelName = (modelId: string) =>
  modelId
    .replace(/^(us|eu|apac|global)\./, '')
    .replace(/^[a-z]+\./, '')
    .replace(/-v\d+(:\d+)?$/, '');
