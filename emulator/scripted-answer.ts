import { createHash } from 'node:crypto';
import { type ConverseBody, turnTextOf } from './bedrock-types.ts';
import { assessText, type Guardrail } from './guardrails.ts';
import type { CacheAccount } from './prompt-cache.ts';
import type { ScriptedReply } from './scripted-model.ts';
import { toTokens } from './tokens.ts';

export type AnswerStopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'guardrail_intervened';

export interface AnswerToolUse {
  toolUseId: string;
  name: string;
  input: Record<string, unknown>;
  /** The input as streamed: the whole JSON, or its start when `maxTokens` cut it off. */
  inputJson: string;
  complete: boolean;
}

export interface AnswerUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

/** A scripted reply after everything Bedrock does around the model: reasoning, guardrails, limits, usage. */
export interface ScriptedAnswer {
  reasoning?: { text: string; signature?: string };
  text: string;
  toolUses: AnswerToolUse[];
  stopReason: AnswerStopReason;
  /** The stop sequence that ended the answer (Anthropic models report it, null otherwise). */
  stopSequence: string | null;
  usage: AnswerUsage;
  /** The request used prompt caching, so usage carries the cache fields (and their legacy twins). */
  reportsCache: boolean;
  /** `trace.guardrail`, when the request asked for the guardrail's trace. */
  guardrailTrace?: Record<string, unknown>;
  /** Anthropic models add `additionalModelResponseFields` and an empty first tool-input delta. */
  anthropic: boolean;
}

export interface AnswerContext {
  body: ConverseBody;
  anthropic: boolean;
  /** Output budget: `inferenceConfig.maxTokens`, else the model's maximum. */
  maxTokens: number;
  cache: CacheAccount;
  reportsCache: boolean;
  /** Extended thinking was asked for (and the model supports it). */
  thinking: boolean;
  guardrail?: { guardrail: Guardrail; trace: boolean };
}

/**
 * Shapes a scripted reply the way Bedrock shapes a model's: a guardrail that blocks the question answers in the
 * model's place; thinking comes first; a guardrail that blocks the answer replaces it; then the stop sequences
 * and the output budget cut it (reasoning, then text, then tool input, token by token); usage adds up.
 */
export function shapeAnswer(reply: () => ScriptedReply, context: AnswerContext): ScriptedAnswer {
  const { body, guardrail } = context;
  const finish = (parts: Omit<ScriptedAnswer, 'usage' | 'reportsCache' | 'anthropic'>): ScriptedAnswer => {
    const outputTokens =
      toTokens(parts.reasoning?.text ?? '').length +
      toTokens(parts.text).length +
      parts.toolUses.reduce((sum, tool) => sum + Math.ceil(tool.inputJson.length / 4), 0);
    const { inputTokens, cacheReadInputTokens, cacheWriteInputTokens } = context.cache;
    return {
      ...parts,
      anthropic: context.anthropic,
      reportsCache: context.reportsCache,
      usage: {
        inputTokens,
        outputTokens,
        totalTokens: inputTokens + outputTokens + cacheReadInputTokens + cacheWriteInputTokens,
        cacheReadInputTokens,
        cacheWriteInputTokens,
      },
    };
  };

  /** The guardrail's message in place of the answer, with what it found when the trace was asked for. */
  const blocked = (text: string, trace: Record<string, unknown>) =>
    finish({
      text,
      toolUses: [],
      stopReason: 'guardrail_intervened',
      stopSequence: null,
      ...(guardrail?.trace ? { guardrailTrace: { ...trace, actionReason: 'Guardrail blocked.' } } : {}),
    });

  if (guardrail) {
    const { guardrailId, blockedInputMessaging } = guardrail.guardrail;
    const inputAssessment = assessText(guardrail.guardrail, guardedInput(body));
    if (inputAssessment)
      return blocked(blockedInputMessaging, { inputAssessment: { [guardrailId]: inputAssessment } });
  }

  const scripted = reply();
  const reasoning = context.thinking ? reasoningFor(body, scripted) : undefined;
  if (guardrail) {
    const said = [scripted.text, ...scripted.toolUses.map((tool) => JSON.stringify(tool.input))].join('\n');
    const { guardrailId, blockedOutputsMessaging } = guardrail.guardrail;
    const outputAssessment = assessText(guardrail.guardrail, said);
    if (outputAssessment) {
      return blocked(blockedOutputsMessaging, { outputAssessments: { [guardrailId]: [outputAssessment] } });
    }
  }

  let text = scripted.text;
  let toolUses: AnswerToolUse[] = scripted.toolUses.map((tool) => ({
    ...tool,
    inputJson: JSON.stringify(tool.input),
    complete: true,
  }));
  let stopReason: AnswerStopReason = scripted.stopReason;
  let stopSequence: string | null = null;

  const stop = firstStopSequence(text, stopSequencesOf(body));
  if (stop) {
    text = text.slice(0, stop.at);
    toolUses = [];
    stopReason = 'stop_sequence';
    stopSequence = stop.sequence;
  }

  // The output budget: reasoning first, then the text, then each tool's input, as the model writes them.
  let budget = context.maxTokens;
  let reasoningShown: ScriptedAnswer['reasoning'] = reasoning;
  const reasoningTokens = toTokens(reasoning?.text ?? '');
  if (reasoning && reasoningTokens.length > budget) {
    reasoningShown = { text: reasoningTokens.slice(0, budget).join('') };
    return finish({
      reasoning: reasoningShown,
      text: '',
      toolUses: [],
      stopReason: 'max_tokens',
      stopSequence: null,
    });
  }
  budget -= reasoningTokens.length;
  const textTokens = toTokens(text);
  if (textTokens.length > budget) {
    return finish({
      ...(reasoningShown ? { reasoning: reasoningShown } : {}),
      text: textTokens.slice(0, budget).join(''),
      toolUses: [],
      stopReason: 'max_tokens',
      stopSequence: null,
    });
  }
  budget -= textTokens.length;
  const kept: AnswerToolUse[] = [];
  for (const tool of toolUses) {
    const cost = Math.ceil(tool.inputJson.length / 4);
    if (cost > budget) {
      if (budget > 0) kept.push({ ...tool, inputJson: tool.inputJson.slice(0, budget * 4), complete: false });
      return finish({
        ...(reasoningShown ? { reasoning: reasoningShown } : {}),
        text,
        toolUses: kept,
        stopReason: 'max_tokens',
        stopSequence: null,
      });
    }
    budget -= cost;
    kept.push(tool);
  }
  return finish({
    ...(reasoningShown ? { reasoning: reasoningShown } : {}),
    text,
    toolUses: kept,
    stopReason,
    stopSequence,
  });
}

/** The text a guardrail checks: the `guardContent` blocks when the request marks any, else the last question. */
function guardedInput(body: ConverseBody): string {
  const guarded = (body.messages ?? []).flatMap((message) =>
    message.content.flatMap((block) => {
      const guard = block.guardContent as { text?: { text?: string } } | undefined;
      return guard?.text?.text ? [guard.text.text] : [];
    }),
  );
  return guarded.length > 0 ? guarded.join('\n') : turnTextOf(body);
}

function stopSequencesOf(body: ConverseBody): string[] {
  const sequences = (body.inferenceConfig as { stopSequences?: unknown } | undefined)?.stopSequences;
  return Array.isArray(sequences)
    ? sequences.filter((s): s is string => typeof s === 'string' && s !== '')
    : [];
}

function firstStopSequence(text: string, sequences: string[]): { at: number; sequence: string } | undefined {
  let first: { at: number; sequence: string } | undefined;
  for (const sequence of sequences) {
    const at = text.indexOf(sequence);
    if (at >= 0 && (!first || at < first.at)) first = { at, sequence };
  }
  return first;
}

/** Deterministic "thinking" that says what the scripted model is about to do, with a signature for it. */
function reasoningFor(body: ConverseBody, reply: ScriptedReply): { text: string; signature: string } {
  const question = turnTextOf(body)
    .replace(/#[a-z]+:\S*/gi, '')
    .trim();
  const plan =
    reply.toolUses.length > 0
      ? `I should call ${reply.toolUses.map((tool) => tool.name).join(' and ')} before answering.`
      : 'I can answer this directly.';
  const text = `The user asks: "${question}". ${plan}`;
  const digest = createHash('sha512').update(text).digest();
  const signature = Buffer.concat([
    Buffer.from('EmulatedSignature'),
    digest,
    createHash('sha512').update(digest).digest(),
  ]).toString('base64');
  return { text, signature };
}
