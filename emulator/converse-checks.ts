import { attachmentProblem } from './attachment-rules.ts';
import type { ConverseBody, Operation } from './bedrock-types.ts';
import type { Guardrail, GuardrailSet } from './guardrails.ts';
import type { CatalogueModel, ModelCatalogue } from './models/model-catalogue.ts';
import { countCheckpoints } from './prompt-cache.ts';
import { serviceShapes } from './service-model/service-shapes.ts';
import { checkShape, validationErrorMessage } from './service-model/shape-validator.ts';
import { validateConverseBody } from './validation.ts';

/** An error Bedrock answers with instead of a model response. */
export interface BedrockError {
  status: number;
  errorType: string;
  message: string;
}

export type ConverseCheck =
  | {
      ok: true;
      model: CatalogueModel;
      /** The output budget: `inferenceConfig.maxTokens`, else the model's maximum. */
      maxTokens: number;
      thinking: boolean;
      guardrail?: { guardrail: Guardrail; trace: boolean };
    }
  | { ok: false; error: BedrockError };

const invalid = (message: string): { ok: false; error: BedrockError } => ({
  ok: false,
  error: { status: 400, errorType: 'ValidationException', message },
});

/** Errors the model itself raises come back wrapped like this. */
const modelError = (detail: string) => invalid(`The model returned the following errors: ${detail}`);

/**
 * Everything Bedrock checks before a model answers a Converse or ConverseStream request, in its order and
 * wording: the service model's constraints, the model id, the conversation rules, and what the model supports
 * (system prompts, tools in streaming mode, images, documents, output limit, thinking, prompt caching,
 * guardrails).
 */
export function checkConverseRequest(
  operation: Exclude<Operation, 'Retrieve'>,
  modelId: string,
  body: ConverseBody,
  context: { region: string; catalogue: ModelCatalogue; guardrails: GuardrailSet },
): ConverseCheck {
  const shapes = checkShape(serviceShapes('bedrock-runtime'), `${operation}Request`, { ...body, modelId });
  if (shapes.wrongType) {
    return {
      ok: false,
      error: { status: 400, errorType: 'SerializationException', message: shapes.wrongType },
    };
  }
  if (shapes.violations.length > 0) return invalid(validationErrorMessage(shapes.violations));

  const resolved = context.catalogue.resolve(modelId, context.region);
  if (!resolved.ok) return invalid(resolved.message);
  const { model } = resolved;

  const conversation = validateConverseBody(body);
  if (conversation) return invalid(conversation);

  if ((body.system ?? []).some((block) => block.text !== undefined) && !model.systemPrompts) {
    return invalid(
      "This model doesn't support system messages. Try again without a system message or use a model that supports system messages.",
    );
  }
  if ((body.toolConfig?.tools ?? []).length > 0) {
    if (operation === 'ConverseStream' && !model.streamingToolUse) {
      return invalid("This model doesn't support tool use in streaming mode.");
    }
    if (!model.toolUse) return invalid("This model doesn't support tool use.");
  }
  const blocks = (body.messages ?? []).flatMap((message) => message.content ?? []);
  if (!model.imageInput && blocks.some((block) => block.image !== undefined)) {
    return invalid(
      "This model doesn't support the image content block that you provided. Update the content block and try again.",
    );
  }
  if (!model.documentInput && blocks.some((block) => block.document !== undefined)) {
    return invalid(
      "This model doesn't support the document content block that you provided. Update the content block and try again.",
    );
  }

  const attachments = attachmentProblem(body);
  if (attachments) return invalid(attachments);

  const inference = (body.inferenceConfig ?? {}) as { maxTokens?: number; temperature?: number };
  if (inference.maxTokens !== undefined && inference.maxTokens > model.maxOutputTokens) {
    return invalid(
      `The maximum tokens you requested exceeds the model limit of ${model.maxOutputTokens}. Try again with a maximum tokens value that is lower than ${model.maxOutputTokens}.`,
    );
  }
  const maxTokens = inference.maxTokens ?? model.maxOutputTokens;

  const thinking = thinkingOf(body);
  if (thinking.present) {
    if (model.provider !== 'anthropic') {
      return modelError(
        `Malformed input request: #: extraneous key [${thinking.key}] is not permitted, please reformat your input and try again.`,
      );
    }
    if (!model.reasoning) return modelError(`${thinking.key}: Extra inputs are not permitted`);
    if (thinking.enabled) {
      if (thinking.budget === undefined || thinking.budget < 1024) {
        return modelError(
          `${thinking.key}.enabled.budget_tokens: Input should be greater than or equal to 1024`,
        );
      }
      if (maxTokens <= thinking.budget) {
        return modelError('`max_tokens` must be greater than `thinking.budget_tokens`.');
      }
      if (inference.temperature !== undefined && inference.temperature !== 1) {
        return modelError('`temperature` may only be set to 1 when thinking is enabled.');
      }
    }
  }

  const checkpoints = countCheckpoints(body);
  if (checkpoints > 0 && !model.promptCaching) {
    return {
      ok: false,
      error: {
        status: 403,
        errorType: 'AccessDeniedException',
        message: 'You invoked an unsupported model or your request did not allow prompt caching.',
      },
    };
  }
  if (model.promptCaching && checkpoints > model.promptCaching.maxCheckpoints) {
    return modelError(
      `A maximum of ${model.promptCaching.maxCheckpoints} blocks with cache_control may be provided. Found ${checkpoints}.`,
    );
  }

  const config = body.guardrailConfig as
    | { guardrailIdentifier?: string; guardrailVersion?: string; trace?: string }
    | undefined;
  let guardrail: { guardrail: Guardrail; trace: boolean } | undefined;
  if (config?.guardrailIdentifier) {
    const found = context.guardrails.find(config.guardrailIdentifier, config.guardrailVersion ?? '');
    if (!found) return invalid('The guardrail identifier or version provided in the request does not exist.');
    guardrail = { guardrail: found, trace: config.trace === 'enabled' || config.trace === 'enabled_full' };
  }

  return {
    ok: true,
    model,
    maxTokens,
    thinking: thinking.enabled,
    ...(guardrail ? { guardrail } : {}),
  };
}

/** Extended thinking as Anthropic models take it in `additionalModelRequestFields` (3.7 also `reasoning_config`). */
function thinkingOf(body: ConverseBody): {
  present: boolean;
  key: string;
  enabled: boolean;
  budget?: number;
} {
  const fields = (body.additionalModelRequestFields ?? {}) as Record<string, unknown>;
  const key =
    'thinking' in fields ? 'thinking' : 'reasoning_config' in fields ? 'reasoning_config' : undefined;
  if (!key) return { present: false, key: 'thinking', enabled: false };
  const config = (fields[key] ?? {}) as { type?: string; budget_tokens?: number };
  const enabled = config.type === 'enabled';
  return {
    present: true,
    key,
    enabled,
    ...(typeof config.budget_tokens === 'number' ? { budget: config.budget_tokens } : {}),
  };
}
