import { describe, expect, it } from 'vitest';
import { serverlessDeployArgs, socketUrlsSetting } from '../../../infra/region-deploy-plan.ts';

const two = ['us-east-1', 'eu-west-1'];

describe('serverlessDeployArgs', () => {
  it('deploys a single region exactly as before: its own table, user pool and web app', () => {
    expect(
      serverlessDeployArgs({
        stage: 'prod',
        region: 'us-east-1',
        regions: ['us-east-1'],
        passThrough: ['--verbose'],
      }),
    ).toEqual(['deploy', '--stage', 'prod', '--region', 'us-east-1', '--verbose']);
  });

  it('makes the first of several regions the primary on the global table, its CSP open to the others', () => {
    expect(
      serverlessDeployArgs({
        stage: 'prod',
        region: 'us-east-1',
        regions: two,
        otherSocketUrls: ['wss://abc.execute-api.eu-west-1.amazonaws.com/prod'],
        passThrough: [],
      }),
    ).toEqual([
      'deploy',
      '--stage',
      'prod',
      '--region',
      'us-east-1',
      '--param',
      'tableMode=global',
      '--param',
      'regionRole=primary',
      '--param',
      'writeRegion=us-east-1',
      '--param',
      'modelId=us.anthropic.claude-haiku-4-5-20251001-v1:0',
      '--param',
      'extraConnectSources=wss://abc.execute-api.eu-west-1.amazonaws.com',
    ]);
  });

  it('signs users in through the primary’s user pool elsewhere, with that geography’s inference profile', () => {
    const argv = serverlessDeployArgs({
      stage: 'prod',
      region: 'eu-west-1',
      regions: two,
      userPool: { id: 'us-east-1_AbC', clientId: 'client123' },
      uploadsBucket: 'chat-prod-uploadsbucket-1a2b',
      passThrough: ['--param', 'knowledgeBaseId=KB1'],
    });
    expect(argv).toEqual([
      'deploy',
      '--stage',
      'prod',
      '--region',
      'eu-west-1',
      '--param',
      'tableMode=global',
      '--param',
      'regionRole=secondary',
      '--param',
      // Every region reads and writes the primary's replica (decision 21).
      'writeRegion=us-east-1',
      '--param',
      'modelId=eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      '--param',
      'cognitoUserPoolId=us-east-1_AbC',
      '--param',
      'cognitoClientId=client123',
      '--param',
      // One uploads bucket, the primary's: a file attached in one region is read in any.
      'uploadsBucket=chat-prod-uploadsbucket-1a2b',
      '--param',
      'uploadsRegion=us-east-1',
      '--param',
      'knowledgeBaseId=KB1',
    ]);
  });

  it('moves the write region where --write-region says, in every region', () => {
    for (const region of two) {
      const argv = serverlessDeployArgs({
        stage: 'prod',
        region,
        regions: two,
        writeRegion: 'eu-west-1',
        userPool: { id: 'us-east-1_AbC', clientId: 'client123' },
        uploadsBucket: 'chat-prod-uploadsbucket-1a2b',
        passThrough: [],
      });
      expect(argv.filter((token) => token.startsWith('writeRegion='))).toEqual(['writeRegion=eu-west-1']);
    }
  });

  it('keeps a model the user chose, and builds the profile from a foundation model the user chose', () => {
    const chosen = serverlessDeployArgs({
      stage: 'p',
      region: 'us-east-1',
      regions: two,
      passThrough: ['--param', 'modelId=global.some-model'],
    });
    expect(chosen.filter((token) => token.startsWith('modelId='))).toEqual(['modelId=global.some-model']);
    const foundation = serverlessDeployArgs({
      stage: 'p',
      region: 'ap-northeast-1',
      regions: ['eu-west-1', 'ap-northeast-1'],
      userPool: { id: 'eu-west-1_x', clientId: 'c' },
      uploadsBucket: 'b',
      passThrough: ['--param', 'foundationModelId=anthropic.other-v1:0'],
    });
    expect(foundation).toContain('modelId=apac.anthropic.other-v1:0');
  });

  it('gives each region the certificate issued in it, of a list, for the custom domain', () => {
    const certificates =
      'certificateArn=arn:aws:acm:us-east-1:123456789012:certificate/a,arn:aws:acm:eu-west-1:123456789012:certificate/b';
    const argv = serverlessDeployArgs({
      stage: 'p',
      region: 'eu-west-1',
      regions: two,
      userPool: { id: 'us-east-1_x', clientId: 'c' },
      uploadsBucket: 'b',
      passThrough: ['--param', 'domainName=chat.example.com', '--param', certificates],
    });
    expect(argv).toContain('certificateArn=arn:aws:acm:eu-west-1:123456789012:certificate/b');
    expect(argv.join(' ')).not.toContain('certificate/a');
    expect(() =>
      serverlessDeployArgs({
        stage: 'p',
        region: 'ap-northeast-1',
        regions: ['us-east-1', 'ap-northeast-1'],
        userPool: { id: 'us-east-1_x', clientId: 'c' },
        uploadsBucket: 'b',
        passThrough: ['--param', certificates],
      }),
    ).toThrow(/no certificate in ap-northeast-1/);
  });

  it('refuses to deploy another region before the primary’s user pool exists', () => {
    expect(() =>
      serverlessDeployArgs({ stage: 'p', region: 'eu-west-1', regions: two, passThrough: [] }),
    ).toThrow(/user pool/);
  });
});

describe('socketUrlsSetting', () => {
  it('names every region’s endpoint, the primary first, as the web app reads VITE_CHAT_WS_URLS', () => {
    expect(
      socketUrlsSetting([
        { region: 'us-east-1', url: 'wss://a.example/prod' },
        { region: 'eu-west-1', url: 'wss://b.example/prod' },
      ]),
    ).toBe('us-east-1=wss://a.example/prod,eu-west-1=wss://b.example/prod');
  });
});
