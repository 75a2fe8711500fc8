/**
 * The cross-region inference profile of a model for a region: Bedrock's profiles are per geography (`us.`,
 * `eu.`, `apac.`), and a region can only use its own geography's (or the `global.` one). serverless.yml's
 * default is the US profile.
 */
export function inferenceProfileFor(region: string, foundationModelId: string): string {
  const geography = region.startsWith('us-')
    ? 'us'
    : region.startsWith('eu-')
      ? 'eu'
      : region.startsWith('ap-')
        ? 'apac'
        : 'global';
  return `${geography}.${foundationModelId}`;
}

/** The model serverless.yml names by default (its `foundationModelId` param). */
export const DEFAULT_FOUNDATION_MODEL = 'anthropic.claude-haiku-4-5-20251001-v1:0';
