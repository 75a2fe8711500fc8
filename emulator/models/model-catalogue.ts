import { readFileSync } from 'node:fs';

/** What one model supports on the Converse API (emulator/models/model-catalogue.json, with its sources). */
export interface CatalogueModel {
  modelId: string;
  name: string;
  provider: 'anthropic' | 'amazon' | string;
  /** Whether the bare model id may be invoked; newer models need an inference profile. */
  onDemand: boolean;
  /** Geographies with a cross-Region inference profile: `us` → `us.<modelId>`. */
  inferenceProfiles: string[];
  contextWindow: number;
  maxOutputTokens: number;
  systemPrompts: boolean;
  toolUse: boolean;
  streamingToolUse: boolean;
  imageInput: boolean;
  documentInput: boolean;
  /** Extended thinking through `additionalModelRequestFields.thinking`. */
  reasoning: boolean;
  promptCaching: {
    minTokensPerCheckpoint: number;
    maxCheckpoints: number;
    fields: Array<'system' | 'messages' | 'tools'>;
  } | null;
  /** What the sources leave open, and what the emulator assumed. */
  notes?: string;
  sources: string[];
}

interface CatalogueFile {
  sources: Record<string, string>;
  geographies: Record<string, string[]>;
  models: CatalogueModel[];
}

export type ModelResolution =
  | { ok: true; model: CatalogueModel; via: 'model' | 'inference-profile' | 'application-inference-profile' }
  | { ok: false; message: string };

export interface ModelCatalogue {
  readonly models: readonly CatalogueModel[];
  /** The model a request's model id names, as Bedrock in `region` would resolve it, or Bedrock's refusal. */
  resolve(modelId: string, region: string): ModelResolution;
}

export const INVALID_MODEL_MESSAGE = 'The provided model identifier is invalid.';

/**
 * An application inference profile is an account's own alias for a model: offline there is no account to ask
 * which model it points to, so it is accepted with the features of the most capable catalogue entry.
 */
const APPLICATION_PROFILE_MODEL = 'anthropic.claude-sonnet-4-5-20250929-v1:0';

let file: CatalogueFile | undefined;

function catalogueFile(): CatalogueFile {
  file ??= JSON.parse(
    readFileSync(new URL('./model-catalogue.json', import.meta.url), 'utf8'),
  ) as CatalogueFile;
  return file;
}

/**
 * Model ids, foundation-model ARNs, cross-Region inference profile ids (`us.`, `eu.`, `apac.`, `jp.`, `au.`,
 * `global.`) and their ARNs, resolved to catalogue entries. A profile outside the caller's geography, a model id
 * that does not exist, and a bare id of a model that needs a profile are refused with Bedrock's messages.
 */
export function createModelCatalogue(models: CatalogueModel[] = catalogueFile().models): ModelCatalogue {
  const byId = new Map(models.map((model) => [model.modelId, model]));
  const geographies = catalogueFile().geographies;

  function resolveId(id: string, region: string, arnKind?: string): ModelResolution {
    const model = byId.get(id);
    if (model && arnKind !== 'inference-profile') {
      if (model.onDemand) return { ok: true, model, via: 'model' };
      return {
        ok: false,
        message: `Invocation of model ID ${id} with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.`,
      };
    }
    const dot = id.indexOf('.');
    const geography = id.slice(0, dot);
    const profiled = byId.get(id.slice(dot + 1));
    const inGeography = (geographies[geography] ?? []).some((prefix) => region.startsWith(prefix));
    if (arnKind !== 'foundation-model' && profiled?.inferenceProfiles.includes(geography) && inGeography) {
      return { ok: true, model: profiled, via: 'inference-profile' };
    }
    return { ok: false, message: INVALID_MODEL_MESSAGE };
  }

  return {
    models,
    resolve(modelId, region) {
      const arn = /^arn:aws(?:-[a-z-]+)?:bedrock:([a-z0-9-]+):(\d{12})?:([a-z-]+)\/(.+)$/.exec(modelId);
      if (!arn) return resolveId(modelId, region);
      const [, arnRegion = '', , kind = '', resource = ''] = arn;
      if (kind === 'application-inference-profile') {
        const model = byId.get(APPLICATION_PROFILE_MODEL) as CatalogueModel;
        return { ok: true, model, via: 'application-inference-profile' };
      }
      if (kind !== 'foundation-model' && kind !== 'inference-profile')
        return { ok: false, message: INVALID_MODEL_MESSAGE };
      return resolveId(resource, arnRegion || region, kind);
    },
  };
}

/** Every id a model answers to in `region`: its own (when on demand) and its profiles' ids there. */
export function invocableIds(model: CatalogueModel, region: string): string[] {
  const geographies = catalogueFile().geographies;
  return [
    ...(model.onDemand ? [model.modelId] : []),
    ...model.inferenceProfiles
      .filter((geography) => (geographies[geography] ?? []).some((prefix) => region.startsWith(prefix)))
      .map((geography) => `${geography}.${model.modelId}`),
  ];
}
