import { describe, expect, it } from 'vitest';
import { parseDeployArgs } from '../../../infra/deploy-args.ts';

describe('parseDeployArgs', () => {
  it('takes the stage and region and hands every other option to serverless', () => {
    expect(
      parseDeployArgs([
        '--stage',
        'prod',
        '--region',
        'eu-west-1',
        '--param',
        'knowledgeBaseId=KB123',
        '--verbose',
      ]),
    ).toEqual({
      stage: 'prod',
      region: 'eu-west-1',
      seedResources: false,
      skipWeb: false,
      passThrough: ['--param', 'knowledgeBaseId=KB123', '--verbose'],
    });
  });

  it('understands its own switches', () => {
    expect(parseDeployArgs(['--stage=dev', '--seed-resources', '--skip-web'])).toMatchObject({
      stage: 'dev',
      seedResources: true,
      skipWeb: true,
    });
  });

  it('refuses to deploy without a stage, or to the offline stage', () => {
    expect(() => parseDeployArgs([])).toThrow(/--stage <name>/);
    expect(() => parseDeployArgs(['--stage', 'local'])).toThrow(/offline stage/);
  });
});
