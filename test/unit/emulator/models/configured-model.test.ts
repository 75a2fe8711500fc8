import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfiguredModel, configuredModelId } from '../../../../emulator/models/configured-model.ts';
import { REPOSITORY_ROOT } from '../../../../emulator/repository-paths.ts';

const dir = mkdtempSync(join(tmpdir(), 'configured-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the configured model, checked when npm run dev starts', () => {
  it('reads the stack’s model id from serverless.yml and finds it in the catalogue', () => {
    const modelId = configuredModelId(REPOSITORY_ROOT, {});

    expect(modelId).toBe('us.anthropic.claude-haiku-4-5-20251001-v1:0');
    expect(checkConfiguredModel(modelId, 'us-east-1')).toEqual({
      ok: true,
      line: 'us.anthropic.claude-haiku-4-5-20251001-v1:0 (Claude Haiku 4.5)',
    });
  });

  it('takes a model id from the environment where serverless.yml says so, else its default', () => {
    writeFileSync(
      join(dir, 'serverless.yml'),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: serverless.yml's own variable syntax, literally.
      "service: x\nparams:\n  local:\n    modelId: ${env:CHAT_MODEL_ID, 'us.a.b-v1:0'}\nprovider:\n  name: aws\n",
    );
    expect(configuredModelId(dir, {})).toBe('us.a.b-v1:0');
    expect(configuredModelId(dir, { CHAT_MODEL_ID: 'eu.a.b-v1:0' })).toBe('eu.a.b-v1:0');
  });

  it('prefers params.local over params.default', () => {
    writeFileSync(
      join(dir, 'serverless.yml'),
      'service: x\nparams:\n  default:\n    modelId: a.b-v1:0\n  local:\n    rateLimitPerMinute: 1\n    modelId: "c.d-v1:0" # local\nprovider:\n  name: aws\n',
    );

    expect(configuredModelId(dir)).toBe('c.d-v1:0');
  });

  it('says in one line what Bedrock would refuse, and which ids would work', () => {
    expect(checkConfiguredModel('anthropic.claude-haiku-4-5-20251001-v1:0', 'eu-west-1')).toEqual({
      ok: false,
      line: "Model anthropic.claude-haiku-4-5-20251001-v1:0 in eu-west-1: Invocation of model ID anthropic.claude-haiku-4-5-20251001-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model. Use eu.anthropic.claude-haiku-4-5-20251001-v1:0 or global.anthropic.claude-haiku-4-5-20251001-v1:0.",
    });
    expect(checkConfiguredModel('us.anthropic.claude-hiaku-4-5', 'us-east-1').line).toBe(
      'Model us.anthropic.claude-hiaku-4-5 in us-east-1: The provided model identifier is invalid. See emulator/models/model-catalogue.json.',
    );
  });
});
