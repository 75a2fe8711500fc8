import type { ConverseBody } from './bedrock-types.ts';
import type { ConverseCheck } from './converse-checks.ts';
import type { LocalKnowledgeBase } from './knowledge-base.ts';
import { countCheckpoints, type PromptCache } from './prompt-cache.ts';
import type { ResponsePlan } from './response-plan.ts';
import { shapeAnswer } from './scripted-answer.ts';
import { scriptReply } from './scripted-model.ts';
import { type ScriptedPace, toConversePlan, toStreamPlan } from './scripted-response.ts';
import { estimateTokens } from './tokens.ts';

/**
 * The scripted model's answer to a request Bedrock would accept, with everything Bedrock adds around a model:
 * prompt-cache accounting, thinking, guardrails, inferenceConfig limits, then the ConverseStream events or the
 * Converse body.
 */
export function scriptedPlan(
  operation: 'Converse' | 'ConverseStream',
  body: ConverseBody,
  checked: Extract<ConverseCheck, { ok: true }>,
  context: { knowledgeBase: LocalKnowledgeBase; promptCache: PromptCache; pace: ScriptedPace },
): ResponsePlan {
  const { model } = checked;
  const reportsCache = countCheckpoints(body) > 0;
  const answer = shapeAnswer(() => scriptReply(body, context.knowledgeBase), {
    body,
    anthropic: model.provider === 'anthropic',
    maxTokens: checked.maxTokens,
    cache: reportsCache
      ? context.promptCache.account(model.modelId, body, model)
      : {
          inputTokens: estimateTokens([body.system ?? [], body.messages ?? [], body.toolConfig ?? {}]),
          cacheReadInputTokens: 0,
          cacheWriteInputTokens: 0,
        },
    reportsCache,
    thinking: checked.thinking,
    ...(checked.guardrail ? { guardrail: checked.guardrail } : {}),
  });
  const { inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens } = answer.usage;
  const usage = { inputTokens, outputTokens, cacheReadInputTokens, cacheWriteInputTokens };
  const plan =
    operation === 'ConverseStream'
      ? toStreamPlan(answer, context.pace)
      : toConversePlan(answer, context.pace);
  return { ...plan, usage };
}
