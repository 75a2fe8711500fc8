import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../local/stack.ts';
import { contentSecurityPolicy } from '../../web/build/content-security-policy.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Sid?: string; Effect: string; Action: string | string[]; Resource: unknown[] };

const outDir = mkdtempSync(join(tmpdir(), 'chat-package-'));
let resources: Record<string, Resource> = {};
const ofType = (type: string) => Object.values(resources).filter((r) => r.Type === type);

/** `serverless package` without AWS credentials: the CloudFormation template and the zips, as deploy makes them. */
beforeAll(async () => {
  const require = createRequire(import.meta.url);
  // serverless-esbuild zips each function through a folder in the temp dir and leaves it there: one per
  // route per run. Its temp dir is a folder of this test's own, removed with the package.
  const temp = join(outDir, 'tmp');
  mkdirSync(temp);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TMPDIR: temp,
    SLS_TELEMETRY_DISABLED: '1',
    SLS_NOTIFICATIONS_MODE: 'off',
  };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
    delete env[name];
  await promisify(execFile)(
    process.execPath,
    [require.resolve('serverless/bin/serverless.js'), 'package', '--stage', 'ci', '--package', outDir],
    { cwd: ROOT, env, timeout: 120_000 },
  );
  resources = JSON.parse(
    readFileSync(join(outDir, 'cloudformation-template-update-stack.json'), 'utf8'),
  ).Resources;
}, 150_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  rmSync(join(ROOT, `.esbuild-package-${process.pid}`), { recursive: true, force: true });
});

describe('the packaged CloudFormation template', () => {
  it('has one WebSocket API routing on the action field, with every route wired to its Lambda', () => {
    const [api] = ofType('AWS::ApiGatewayV2::Api');
    expect(api?.Properties).toMatchObject({
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
    const routes = ofType('AWS::ApiGatewayV2::Route')
      .map((r) => r.Properties.RouteKey)
      .sort();
    expect(routes).toEqual([
      '$connect',
      '$default',
      '$disconnect',
      'cancel',
      'createUpload',
      'getHistory',
      'getUsage',
      'resume',
      'sendMessage',
    ]);
    expect(ofType('AWS::ApiGatewayV2::Integration')).toHaveLength(routes.length);
  });

  it('has the chat table: PK/SK strings, on-demand billing, TTL on expiresAt', () => {
    const [table] = ofType('AWS::DynamoDB::Table');
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'SK', AttributeType: 'S' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('keeps attachments in a private, encrypted bucket that expires them', () => {
    const bucket = resources.UploadsBucket?.Properties as Record<string, unknown>;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LifecycleConfiguration).toEqual({
      Rules: [{ Id: 'ExpireUploads', Status: 'Enabled', Prefix: 'uploads/', ExpirationInDays: 2 }],
    });
    expect(bucket.CorsConfiguration).toMatchObject({ CorsRules: [{ AllowedMethods: ['POST'] }] });
  });

  it('runs every function on the newest Node.js runtime with a timeout below API Gateway’s 29 s', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions).toHaveLength(10);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Timeout).toBeLessThan(29);
    }
  });

  it('hosts the web app in a private bucket that only this CloudFront distribution may read', () => {
    const [bucket] = ofType('AWS::S3::Bucket').filter((b) =>
      JSON.stringify(b).includes('PublicAccessBlockConfiguration'),
    );
    expect(bucket?.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const policy = ofType('AWS::S3::BucketPolicy').find((p) =>
      JSON.stringify(p).includes('"Ref":"WebBucket"'),
    );
    const document = policy?.Properties.PolicyDocument as
      | { Statement: Array<Record<string, unknown>> }
      | undefined;
    const statement = document?.Statement[0];
    expect(statement).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
    });
    expect(JSON.stringify(statement?.Condition)).toContain('"Ref":"WebDistribution"');
    const [distribution] = ofType('AWS::CloudFront::Distribution');
    expect(distribution?.Properties.DistributionConfig).toMatchObject({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'redirect-to-https' },
    });
  });

  it('serves the web app with the Content Security Policy the app is built with, and the security headers', () => {
    const [distribution] = ofType('AWS::CloudFront::Distribution');
    expect(distribution?.Properties.DistributionConfig).toMatchObject({
      DefaultCacheBehavior: { ResponseHeadersPolicyId: { Ref: 'WebResponseHeadersPolicy' } },
    });
    const config = resources.WebResponseHeadersPolicy?.Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    const headers = config.SecurityHeadersConfig;
    const csp = headers.ContentSecurityPolicy as { ContentSecurityPolicy: unknown; Override: boolean };
    expect(csp.Override).toBe(true);
    // With made-up values for the stack's references, the header is exactly the policy of the web build.
    const header = resolveJoin(csp.ContentSecurityPolicy, {
      WebsocketsApi: 'api123',
      'AWS::Region': 'eu-west-1',
      ChatUserPoolDomain: 'chat-auth',
      'UploadsBucket.RegionalDomainName': 'uploads.s3.eu-west-1.amazonaws.com',
    });
    expect(header).toBe(
      contentSecurityPolicy({
        connectSources: [
          'wss://api123.execute-api.eu-west-1.amazonaws.com',
          'https://uploads.s3.eu-west-1.amazonaws.com',
          'https://chat-auth.auth.eu-west-1.amazoncognito.com',
        ],
        header: true,
      }),
    );
    expect(header).toContain("img-src 'self' data: blob:;");
    expect(header).toContain("script-src 'self';");
    expect(header).not.toContain('unsafe-inline');
    // What the managed SecurityHeadersPolicy it replaces sent, frames denied outright.
    expect(headers).toMatchObject({
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY' },
      ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin' },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000 },
    });
  });

  it('signs users in with a Cognito user pool whose web client uses the code flow and no secret', () => {
    const [client] = ofType('AWS::Cognito::UserPoolClient');
    expect(client?.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
    });
    expect(JSON.stringify(client?.Properties.CallbackURLs)).toContain('WebDistribution');
    expect(ofType('AWS::Cognito::UserPoolDomain')).toHaveLength(1);
    const authorize = ofType('AWS::Lambda::Function').find((f) =>
      JSON.stringify(f.Properties.Handler).includes('authorize'),
    );
    expect(authorize?.Properties.Environment).toMatchObject({
      Variables: {
        CHAT_AUTH_MODE: 'cognito',
        CHAT_COGNITO_USER_POOL_ID: { Ref: 'ChatUserPool' },
        CHAT_COGNITO_CLIENT_ID: { Ref: 'ChatUserPoolClient' },
      },
    });
    const [authorizer] = ofType('AWS::ApiGatewayV2::Authorizer');
    expect(authorizer?.Properties).toMatchObject({
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
    });
  });

  it('keeps logs for a bounded time', () => {
    for (const group of ofType('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(14);
  });

  it('scopes every IAM statement to named resources, never a bare *', () => {
    const statements = ofType('AWS::IAM::Role').flatMap((role) =>
      (role.Properties.Policies as Array<{ PolicyDocument: { Statement: Statement[] } }>).flatMap(
        (p) => p.PolicyDocument.Statement,
      ),
    );
    const flat = (value: unknown) => JSON.stringify(value);
    for (const statement of statements) {
      for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
      for (const resource of statement.Resource) expect(resource).not.toBe('*');
    }
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    expect(bySid.ChatTable?.Resource).toEqual([{ 'Fn::GetAtt': ['ChatTable', 'Arn'] }]);
    expect(bySid.BedrockStream?.Action).toEqual(['bedrock:InvokeModelWithResponseStream']);
    expect(flat(bySid.BedrockStream?.Resource)).toContain(
      ':inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0',
    );
    // The region wildcard is how a cross-region inference profile reaches its model; the model is named.
    expect(bySid.BedrockStream?.Resource).toContain(
      'arn:aws:bedrock:*::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0',
    );
    expect(bySid.KnowledgeBaseRetrieve?.Action).toEqual(['bedrock:Retrieve']);
    expect(bySid.Attachments?.Action).toEqual(['s3:PutObject', 's3:GetObject']);
    expect(flat(bySid.Attachments?.Resource)).toContain('/uploads/*');
    const manage = statements.find((s) => flat(s.Action).includes('execute-api:ManageConnections'));
    expect(flat(manage?.Resource)).toContain('"Ref":"WebsocketsApi"');
    expect(flat(manage?.Resource)).toContain('/ci/POST/@connections/*');
  });

  it('ships no offline-only code (emulator, recorder, local stack) in any function bundle', () => {
    const zips = readdirSync(outDir).filter((file) => file.endsWith('.zip'));
    expect(zips).toHaveLength(10);
    for (const zip of zips) {
      const code = unzipText(readFileSync(join(outDir, zip)));
      expect(code, `${zip} was not read`).toMatch(/export\s*\{[^}]*handler/);
      for (const marker of [
        'scripted model',
        // The Bedrock adapter names the emulator's EmulatorFixtureMismatch error to report it as
        // MODEL_FIXTURE_MISMATCH (issue 19), so that name may ship; the emulator's own explanation may not.
        'No fixture matches this',
        '/_emulator/',
        'LoopbackDynamoDbLocal',
        'msw',
        'createMemorySessionStore',
      ]) {
        expect(code, `${zip} contains ${marker}`).not.toContain(marker);
      }
    }
  });

  it('takes credentials from the environment only: no profile, SSO or web-identity chain in any bundle', () => {
    const zips = readdirSync(outDir).filter((file) => file.endsWith('.zip'));
    for (const zip of zips) {
      const code = unzipText(readFileSync(join(outDir, zip)));
      // Messages of @aws-sdk/credential-provider-node's default chain, which serverless.yml aliases away.
      for (const marker of ['Could not load credentials from any providers', 'Skipping SSO provider']) {
        expect(code, `${zip} contains ${marker}`).not.toContain(marker);
      }
    }
  });
});

/** Every file of a zip, inflated and concatenated as text (the bundles are one .mjs each). */
function unzipText(zip: Buffer): string {
  // Sizes live in the central directory; local headers may defer them to data descriptors.
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const entries = zip.readUInt16LE(end + 10);
  let entry = zip.readUInt32LE(end + 16);
  const parts: string[] = [];
  for (let i = 0; i < entries; i++) {
    const method = zip.readUInt16LE(entry + 10);
    const compressedSize = zip.readUInt32LE(entry + 20);
    const local = zip.readUInt32LE(entry + 42);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + compressedSize);
    parts.push((method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    entry += 46 + zip.readUInt16LE(entry + 28) + zip.readUInt16LE(entry + 30) + zip.readUInt16LE(entry + 32);
  }
  return parts.join('\n');
}

/** A `Fn::Join` of strings and `Ref`s, with each reference replaced by the value given for it. */
function resolveJoin(value: unknown, refs: Record<string, string>): string {
  const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const attribute = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      const name = attribute ? attribute.join('.') : (part as { Ref: string }).Ref;
      if (!(name in refs)) throw new Error(`no value given for Ref ${name}`);
      return refs[name];
    })
    .join(separator);
}
