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
      regions: ['eu-west-1'],
      writeRegion: 'eu-west-1',
      seedResources: false,
      skipWeb: false,
      knowledgeBase: undefined,
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

  it('takes several regions, the first of them the primary', () => {
    expect(parseDeployArgs(['--stage', 'prod', '--regions', 'us-east-1, eu-west-1'])).toMatchObject({
      region: 'us-east-1',
      regions: ['us-east-1', 'eu-west-1'],
      writeRegion: 'us-east-1',
      passThrough: [],
    });
    expect(
      parseDeployArgs(['--stage', 'prod', '--regions', 'us-east-1,eu-west-1', '--write-region', 'eu-west-1']),
    ).toMatchObject({ region: 'us-east-1', writeRegion: 'eu-west-1' });
  });

  it('refuses a region list it cannot use', () => {
    expect(() =>
      parseDeployArgs(['--stage', 'p', '--region', 'us-east-1', '--regions', 'eu-west-1']),
    ).toThrow(/either --region or --regions/);
    expect(() => parseDeployArgs(['--stage', 'p', '--regions', 'us-east-1,us-east-1'])).toThrow(/twice/);
    expect(() =>
      parseDeployArgs(['--stage', 'p', '--regions', 'us-east-1,eu-west-1', '--write-region', 'ap-south-1']),
    ).toThrow(/not one of --regions/);
    expect(() => parseDeployArgs(['--stage', 'p', '--regions', 'us-east-1,europe'])).toThrow(
      /not an AWS region/,
    );
  });

  it('refuses to deploy without a stage, or to the offline stage', () => {
    expect(() => parseDeployArgs([])).toThrow(/--stage <name>/);
    expect(() => parseDeployArgs(['--stage', 'local'])).toThrow(/offline stage/);
  });

  it('creates a knowledge base on request: S3 Vectors, or OpenSearch Serverless with the principal that creates its index', () => {
    expect(parseDeployArgs(['--stage', 'dev', '--knowledge-base', 's3-vectors'])).toMatchObject({
      knowledgeBase: 's3-vectors',
      passThrough: ['--param', 'knowledgeBaseStore=s3-vectors'],
    });
    const admin = 'arn:aws:iam::123456789012:role/Deployer';
    expect(
      parseDeployArgs([
        '--stage',
        'dev',
        '--knowledge-base',
        'opensearch-serverless',
        '--knowledge-base-admin',
        admin,
      ]),
    ).toMatchObject({
      passThrough: [
        '--param',
        'knowledgeBaseStore=opensearch-serverless',
        '--param',
        `knowledgeBaseAdminArn=${admin}`,
      ],
    });
  });

  it('refuses an unknown store, a store with an existing knowledge base, and OpenSearch without its admin', () => {
    expect(() => parseDeployArgs(['--stage', 'dev', '--knowledge-base', 'pinecone'])).toThrow(
      /one of s3-vectors/,
    );
    expect(() =>
      parseDeployArgs(['--stage', 'dev', '--knowledge-base', 's3-vectors', '--param', 'knowledgeBaseId=KB1']),
    ).toThrow(/not both/);
    expect(() => parseDeployArgs(['--stage', 'dev', '--knowledge-base', 'opensearch-serverless'])).toThrow(
      /--knowledge-base-admin <arn>/,
    );
    expect(() =>
      parseDeployArgs(['--stage', 'dev', '--knowledge-base-admin', 'arn:aws:iam::1:role/x']),
    ).toThrow(/goes with/);
  });
});
