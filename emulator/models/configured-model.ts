import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createModelCatalogue, invocableIds } from './model-catalogue.ts';

/** The model the local stack's handlers call: serverless.yml's `params.local.modelId`, else `params.default`. */
export function configuredModelId(
  root: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  const yaml = readFileSync(join(root, 'serverless.yml'), 'utf8');
  const params = /^params:\n([\s\S]*?)^\S/m.exec(yaml)?.[1] ?? '';
  const stage = (name: string) =>
    new RegExp(`^ {2}${name}:\\n((?: {4}.*\\n|\\s*\\n)*)`, 'm').exec(params)?.[1] ?? '';
  const modelIn = (block: string) => {
    // `${env:CHAT_MODEL_ID, 'us.…'}`: the environment's value, else the default (the regions simulation sets it).
    const fromEnv = /^ {4}modelId:\s*\$\{env:(\w+),\s*["']([^"']+)["']\}/m.exec(block);
    if (fromEnv) return env[fromEnv[1] as string] || fromEnv[2];
    return /^ {4}modelId:\s*["']?([^"'\s#]+)/m.exec(block)?.[1];
  };
  return modelIn(stage('local')) ?? modelIn(stage('default'));
}

/**
 * One line on the configured model for `npm run dev`: what it is, or what Bedrock would say is wrong with it and
 * the ids that would work, so a typo shows at start instead of as a failed first answer.
 */
export function checkConfiguredModel(
  modelId: string | undefined,
  region: string,
): { ok: boolean; line: string } {
  if (!modelId)
    return { ok: false, line: 'No modelId in serverless.yml params: set params.default.modelId.' };
  const catalogue = createModelCatalogue();
  const resolved = catalogue.resolve(modelId, region);
  if (resolved.ok) return { ok: true, line: `${modelId} (${resolved.model.name})` };
  const base = modelId.replace(/^(us|eu|apac|jp|au|global)\./, '');
  const model = catalogue.models.find((candidate) => candidate.modelId === base);
  const hint = model
    ? ` Use ${invocableIds(model, region).join(' or ')}.`
    : ' See emulator/models/model-catalogue.json.';
  return { ok: false, line: `Model ${modelId} in ${region}: ${resolved.message}${hint}` };
}
