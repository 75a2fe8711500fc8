import {
  FIXTURE_FORMAT,
  FIXTURE_VERSION,
  type Fixture,
  type FixtureEvent,
  type Interaction,
} from '../../../../emulator/fixtures.ts';
import type { ScriptedAnswer } from '../../../../emulator/scripted-answer.ts';
import { toTokens } from '../../../../emulator/tokens.ts';
import { OFFLINE_TARGET } from '../../../../recorder/scenario-runner.ts';
import { DEFAULT_SYSTEM_PROMPT } from '../../../../src/config.ts';

/** The request body of a one-question conversation, as the SDK serialises it. */
export function questionBody(text: string, system = DEFAULT_SYSTEM_PROMPT): Record<string, unknown> {
  return { messages: [{ role: 'user', content: [{ text }] }], system: [{ text: system }] };
}

/** A plain streamed answer: messageStart after `firstMs`, one delta per part every `gapMs`, then the stop. */
export function answerEvents(parts: string[], timing = { firstMs: 0, gapMs: 0 }): FixtureEvent[] {
  return [
    { delayMs: timing.firstMs, event: 'messageStart', payload: { role: 'assistant' } },
    ...parts.map((text, index) => ({
      delayMs: index === 0 ? 0 : timing.gapMs,
      event: 'contentBlockDelta',
      payload: { contentBlockIndex: 0, delta: { text } },
    })),
    { delayMs: 0, event: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
    { delayMs: 0, event: 'messageStop', payload: { stopReason: 'end_turn' } },
    {
      delayMs: 0,
      event: 'metadata',
      payload: {
        usage: { inputTokens: 12, outputTokens: parts.length, totalTokens: 12 + parts.length },
        metrics: { latencyMs: 5 },
      },
    },
  ];
}

export function streamInteraction(body: Record<string, unknown>, events: FixtureEvent[]): Interaction {
  return {
    operation: 'ConverseStream',
    request: { modelId: OFFLINE_TARGET.modelId, body },
    response: { status: 200, headers: { 'content-type': 'application/vnd.amazon.eventstream' }, events },
  };
}

export function fixtureOf(name: string, interactions: Interaction[], extra: Partial<Fixture> = {}): Fixture {
  return {
    format: FIXTURE_FORMAT,
    version: FIXTURE_VERSION,
    name,
    description: '',
    source: 'synthetic',
    file: `fixtures/bedrock/${name}.json`,
    interactions,
    ...extra,
  };
}

/** A scripted answer as the emulator renders it, from a plain reply: no cache, no reasoning, usage estimated. */
export function answerOf(
  reply: {
    text: string;
    toolUses: Array<{ toolUseId: string; name: string; input: Record<string, unknown> }>;
    stopReason: ScriptedAnswer['stopReason'];
  },
  extra: Partial<ScriptedAnswer> = {},
): ScriptedAnswer {
  const toolUses = reply.toolUses.map((tool) => ({
    ...tool,
    inputJson: JSON.stringify(tool.input),
    complete: true,
  }));
  const outputTokens =
    toTokens(reply.text).length +
    toolUses.reduce((sum, tool) => sum + Math.ceil(tool.inputJson.length / 4), 0);
  return {
    text: reply.text,
    toolUses,
    stopReason: reply.stopReason,
    stopSequence: null,
    usage: {
      inputTokens: 20,
      outputTokens,
      totalTokens: 20 + outputTokens,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
    },
    reportsCache: false,
    anthropic: false,
    ...extra,
  };
}
