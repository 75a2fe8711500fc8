import { describe, expect, it } from 'vitest';
import { createModelCatalogue, invocableIds } from '../../../../emulator/models/model-catalogue.ts';

const catalogue = createModelCatalogue();
const resolve = (id: string, region = 'us-east-1') => catalogue.resolve(id, region);

describe('the model catalogue', () => {
  it('resolves a cross-Region inference profile in its own geography', () => {
    expect(resolve('us.anthropic.claude-haiku-4-5-20251001-v1:0')).toMatchObject({
      ok: true,
      via: 'inference-profile',
      model: { name: 'Claude Haiku 4.5', maxOutputTokens: 64000 },
    });
    expect(resolve('eu.anthropic.claude-sonnet-4-6', 'eu-central-1')).toMatchObject({ ok: true });
    expect(resolve('global.anthropic.claude-haiku-4-5-20251001-v1:0', 'ap-southeast-2')).toMatchObject({
      ok: true,
    });
  });

  it('refuses a profile outside the caller’s geography, and unknown ids, with Bedrock’s message', () => {
    for (const id of [
      'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      'does-not-exist',
      'us.anthropic.claude-haiku-4-5',
    ]) {
      expect(resolve(id)).toEqual({ ok: false, message: 'The provided model identifier is invalid.' });
    }
  });

  it('asks for an inference profile when a model cannot be invoked on demand by its bare id', () => {
    expect(resolve('anthropic.claude-haiku-4-5-20251001-v1:0')).toEqual({
      ok: false,
      message:
        "Invocation of model ID anthropic.claude-haiku-4-5-20251001-v1:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.",
    });
    expect(resolve('amazon.nova-micro-v1:0')).toMatchObject({ ok: true, via: 'model' });
  });

  it('reads foundation-model and inference-profile ARNs, and accepts application profiles', () => {
    expect(resolve('arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1')).toMatchObject({
      ok: true,
    });
    expect(
      resolve(
        'arn:aws:bedrock:us-east-1:000000000000:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0',
      ),
    ).toMatchObject({ ok: true, via: 'inference-profile' });
    expect(
      resolve('arn:aws:bedrock:us-east-1:000000000000:application-inference-profile/abc123'),
    ).toMatchObject({
      ok: true,
      via: 'application-inference-profile',
    });
    expect(resolve('arn:aws:bedrock:us-east-1:000000000000:provisioned-model/abc123')).toMatchObject({
      ok: false,
    });
  });

  it('cites a source for every model, and lists the ids each answers to in a region', () => {
    for (const model of catalogue.models) expect(model.sources.length).toBeGreaterThan(0);
    const haiku = catalogue.models.find((model) => model.name === 'Claude Haiku 4.5');
    expect(invocableIds(haiku as never, 'eu-west-1')).toEqual([
      'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      'global.anthropic.claude-haiku-4-5-20251001-v1:0',
    ]);
  });
});
