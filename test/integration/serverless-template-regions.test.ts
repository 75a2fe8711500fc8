import { beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../web/build/content-security-policy.ts';
import {
  conditionHolds,
  createdResources,
  packageTemplate,
  type Resource,
  resolveJoin,
  type Template,
} from '../support/packaged-template.ts';

/*
 * The chat stack of each region of `npm run deploy -- --regions us-east-1,eu-west-1`, packaged with the
 * params infra/region-deploy-plan.ts gives it (its unit test checks those): the primary with the user pool,
 * the web app and (here) a custom domain; the other region with the WebSocket API and Lambdas only. Both
 * use the global table's replica (infra/global-table.ts) instead of a table of their own.
 */
let primary: Template;
let secondary: Template;

beforeAll(async () => {
  // One after the other: each bundles nine functions, and the machine may be busy.
  primary = await packageTemplate({
    stage: 'ci',
    region: 'us-east-1',
    params: {
      tableMode: 'global',
      regionRole: 'primary',
      writeRegion: 'us-east-1',
      extraConnectSources: 'wss://xyz789.execute-api.eu-west-1.amazonaws.com',
      domainName: 'chat.example.com',
      hostedZoneId: 'Z0123456789ABC',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    },
  });
  secondary = await packageTemplate({
    stage: 'ci',
    region: 'eu-west-1',
    params: {
      tableMode: 'global',
      regionRole: 'secondary',
      writeRegion: 'us-east-1',
      modelId: 'eu.anthropic.claude-haiku-4-5-20251001-v1:0',
      cognitoUserPoolId: 'us-east-1_AbC123',
      cognitoClientId: 'client123',
      uploadsBucket: 'bedrock-ws-chat-ci-uploadsbucket-1a2b',
      uploadsRegion: 'us-east-1',
    },
  });
}, 540_000);

const typesOf = (template: Template) => Object.values(createdResources(template)).map((r) => r.Type);
const ofType = (template: Template, type: string): Resource[] =>
  Object.values(createdResources(template)).filter((r) => r.Type === type);

/** Every `Ref`/`Fn::GetAtt` target in what would be created, following only the branch an `Fn::If` takes. */
function referencedNames(template: Template): Set<string> {
  const names = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      value.forEach(walk);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as Record<string, unknown>;
    if (typeof node.Ref === 'string') names.add(node.Ref);
    const getAtt = node['Fn::GetAtt'];
    if (Array.isArray(getAtt)) names.add(String(getAtt[0]));
    const choice = node['Fn::If'] as [string, unknown, unknown] | undefined;
    if (choice) {
      walk(conditionHolds(template, choice[0]) ? choice[1] : choice[2]);
      return;
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'Condition') walk(child);
  };
  walk(Object.values(createdResources(template)));
  for (const output of Object.values(template.Outputs ?? {}))
    if (output.Condition === undefined || conditionHolds(template, output.Condition)) walk(output.Value);
  return names;
}

function expectNoDanglingReference(template: Template) {
  const created = new Set(Object.keys(createdResources(template)));
  const dangling = [...referencedNames(template)].filter(
    (name) => !name.startsWith('AWS::') && !created.has(name),
  );
  expect(dangling).toEqual([]);
}

function tableStatement(template: Template) {
  const policies = ofType(template, 'AWS::IAM::Role').flatMap(
    (role) => role.Properties.Policies as Array<{ PolicyDocument: { Statement: unknown[] } }>,
  );
  const statements = policies.flatMap(
    (policy) => policy.PolicyDocument.Statement as Array<{ Sid?: string; Resource: unknown[] }>,
  );
  return statements.find((statement) => statement.Sid === 'ChatTable');
}

describe('the primary region’s stack of a multi-region deployment', () => {
  it('has the WebSocket API, the user pool and the web app, but no table of its own', () => {
    const types = typesOf(primary);
    expect(types).toContain('AWS::ApiGatewayV2::Api');
    expect(types).toContain('AWS::Cognito::UserPool');
    expect(types).toContain('AWS::CloudFront::Distribution');
    expect(types).not.toContain('AWS::DynamoDB::Table');
    expect(ofType(primary, 'AWS::Lambda::Function')).toHaveLength(21);
    expectNoDanglingReference(primary);
  });

  it('uses the global table’s replica in its own region, the write region', () => {
    const [arn] = tableStatement(primary)?.Resource ?? [];
    const refs = { 'AWS::Region': 'us-east-1', 'AWS::AccountId': '123456789012' };
    expect(resolveJoin(arn, refs, { HasWriteRegion: conditionHolds(primary, 'HasWriteRegion') })).toBe(
      'arn:aws:dynamodb:us-east-1:123456789012:table/bedrock-ws-chat-ci',
    );
  });

  it('lets the web app connect to every region’s WebSocket API, and nowhere else', () => {
    const config = createdResources(primary).WebResponseHeadersPolicy?.Properties
      .ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } };
    };
    const header = resolveJoin(
      config.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy,
      {
        WebsocketsApi: 'abc123',
        'AWS::Region': 'us-east-1',
        ChatUserPoolDomain: 'chat-auth',
        'UploadsBucket.RegionalDomainName': 'uploads.s3.us-east-1.amazonaws.com',
      },
      { HasExtraConnectSources: conditionHolds(primary, 'HasExtraConnectSources') },
    );
    expect(header).toBe(
      contentSecurityPolicy({
        connectSources: [
          'wss://abc123.execute-api.us-east-1.amazonaws.com',
          'https://uploads.s3.us-east-1.amazonaws.com',
          'https://chat-auth.auth.us-east-1.amazoncognito.com',
          'wss://xyz789.execute-api.eu-west-1.amazonaws.com',
        ],
        header: true,
      }),
    );
  });

  it('answers on the custom domain through a latency record for its region, when a domain is given', () => {
    const [record] = ofType(primary, 'AWS::Route53::RecordSet');
    expect(record?.Properties).toMatchObject({
      HostedZoneId: 'Z0123456789ABC',
      Name: 'chat.example.com',
      Type: 'A',
      SetIdentifier: { Ref: 'AWS::Region' },
      Region: { Ref: 'AWS::Region' },
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': ['ChatDomainName', 'RegionalDomainName'] },
        HostedZoneId: { 'Fn::GetAtt': ['ChatDomainName', 'RegionalHostedZoneId'] },
        EvaluateTargetHealth: true,
      },
    });
    expect(ofType(primary, 'AWS::ApiGatewayV2::DomainName')[0]?.Properties).toMatchObject({
      DomainName: 'chat.example.com',
      DomainNameConfigurations: [
        { CertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc', EndpointType: 'REGIONAL' },
      ],
    });
    expect(ofType(primary, 'AWS::ApiGatewayV2::ApiMapping')).toHaveLength(1);
  });
});

describe('another region’s stack of a multi-region deployment', () => {
  it('has the WebSocket API and its Lambdas only: no table, user pool, web bucket, CDN or domain', () => {
    const types = typesOf(secondary);
    expect(types).toContain('AWS::ApiGatewayV2::Api');
    expect(types).toContain('AWS::ApiGatewayV2::Authorizer');
    expect(ofType(secondary, 'AWS::Lambda::Function')).toHaveLength(21);
    for (const absent of [
      'AWS::DynamoDB::Table',
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolClient',
      'AWS::CloudFront::Distribution',
      'AWS::ApiGatewayV2::DomainName',
      'AWS::Route53::RecordSet',
    ])
      expect(types, absent).not.toContain(absent);
    // The one bucket is serverless's own, for the deployment's artefacts; the web app's is the primary's.
    const buckets = Object.entries(createdResources(secondary)).filter(
      ([, r]) => r.Type === 'AWS::S3::Bucket',
    );
    expect(buckets.map(([name]) => name)).toEqual(['ServerlessDeploymentBucket']);
    expectNoDanglingReference(secondary);
    const outputs = Object.entries(secondary.Outputs ?? {})
      .filter(([, output]) => output.Condition === undefined || conditionHolds(secondary, output.Condition))
      .map(([name]) => name);
    expect(outputs).toContain('WebSocketUrl');
    expect(outputs).not.toContain('UserPoolId');
  });

  it('verifies tokens of the primary region’s user pool', () => {
    const authorize = ofType(secondary, 'AWS::Lambda::Function').find((f) =>
      JSON.stringify(f.Properties.Handler).includes('authorize'),
    );
    expect(authorize?.Properties.Environment).toMatchObject({
      Variables: {
        CHAT_AUTH_MODE: 'cognito',
        CHAT_COGNITO_USER_POOL_ID: 'us-east-1_AbC123',
        CHAT_COGNITO_CLIENT_ID: 'client123',
      },
    });
  });

  it('reads and writes the write region’s replica of the table, and calls its own geography’s inference profile', () => {
    const [arn] = tableStatement(secondary)?.Resource ?? [];
    const refs = { 'AWS::Region': 'eu-west-1', 'AWS::AccountId': '123456789012' };
    expect(resolveJoin(arn, refs, { HasWriteRegion: conditionHolds(secondary, 'HasWriteRegion') })).toBe(
      'arn:aws:dynamodb:us-east-1:123456789012:table/bedrock-ws-chat-ci',
    );
    const functions = ofType(secondary, 'AWS::Lambda::Function');
    const env = functions.map(
      (f) => (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    );
    // Every function's table client goes to the write region (decision 21).
    expect(new Set(env.map((variables) => variables.CHAT_WRITE_REGION))).toEqual(new Set(['us-east-1']));
    // So are its attachments: the primary's bucket, in the primary's region.
    expect(env[0]).toMatchObject({
      CHAT_UPLOADS_BUCKET: 'bedrock-ws-chat-ci-uploadsbucket-1a2b',
      CHAT_UPLOADS_REGION: 'us-east-1',
    });
    expect(new Set(env.map((variables) => variables.CHAT_MODEL_ID))).toEqual(
      new Set(['eu.anthropic.claude-haiku-4-5-20251001-v1:0']),
    );
    expect(JSON.stringify(ofType(secondary, 'AWS::IAM::Role'))).toContain(
      ':inference-profile/eu.anthropic.claude-haiku-4-5-20251001-v1:0',
    );
  });
});
