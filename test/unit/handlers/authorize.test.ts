import { generateKeyPairSync } from 'node:crypto';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signJwt } from '../../../local/dev-issuer.ts';
import { captureJsonLines } from '../../support/captured-output.ts';

const ISSUER = 'https://issuer.example.com';
const AUDIENCE = 'chat-web';
const METHOD_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123/dev/$connect';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const now = () => Math.floor(Date.now() / 1000);
const token = (claims: Record<string, unknown> = {}, key = privateKey) =>
  signJwt({ iss: ISSUER, aud: AUDIENCE, sub: 'user-42', iat: now(), exp: now() + 600, ...claims }, key, 'k1');

let handler: (event: APIGatewayRequestAuthorizerEvent) => Promise<unknown>;

beforeAll(async () => {
  // The handler reads its configuration once, at import, as in a Lambda container.
  vi.stubEnv('CHAT_AUTH_MODE', 'jwt');
  vi.stubEnv('CHAT_AUTH_ISSUER', ISSUER);
  vi.stubEnv('CHAT_AUTH_AUDIENCE', AUDIENCE);
  vi.stubEnv(
    'CHAT_AUTH_JWKS',
    JSON.stringify({
      keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }],
    }),
  );
  ({ handler } = await import('../../../src/handlers/authorize.ts'));
});

afterAll(() => vi.unstubAllEnvs());

const connect = (query?: Record<string, string>) =>
  handler({
    type: 'REQUEST',
    methodArn: METHOD_ARN,
    queryStringParameters: query,
  } as unknown as APIGatewayRequestAuthorizerEvent);

const policy = (effect: 'Allow' | 'Deny', principalId: string, userId: string, groups = '[]') => ({
  principalId,
  policyDocument: {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: METHOD_ARN }],
  },
  context: { userId, groups },
});

describe('the $connect authorizer', () => {
  it('allows a valid token and names its user for every later route', async () => {
    expect(await connect({ token: token() })).toEqual(policy('Allow', 'user-42', 'user-42'));
  });

  it("passes the token's groups on as a JSON string (an authorizer context holds no arrays on AWS)", async () => {
    const admin = token({ 'cognito:groups': ['admins', 'a,b'] });
    expect(await connect({ token: admin })).toEqual(
      policy('Allow', 'user-42', 'user-42', '["admins","a,b"]'),
    );
  });

  it.each([
    ['no token', undefined],
    ['an expired token', { token: token({ exp: now() - 10 }) }],
    ['a token for another audience', { token: token({ aud: 'someone-else' }) }],
    ['a token from another issuer', { token: token({ iss: 'https://evil.example.com' }) }],
    ['a token signed with another key', { token: token({}, otherKey) }],
    ['a token without a subject', { token: token({ sub: '' }) }],
    ['an access token', { token: token({ token_use: 'access' }) }],
    ['a token that never expires (no exp)', { token: token({ exp: undefined }) }],
  ])('denies %s', async (_name, query) => {
    expect(await connect(query)).toEqual(policy('Deny', 'anonymous', ''));
  });

  it('logs why it refused, but never the token', async () => {
    const refused = token({ exp: now() - 10 });
    const lines = await captureJsonLines(() => connect({ token: refused }));

    expect(lines.find((line) => line.message === 'connection refused: invalid token')).toMatchObject({
      reason: expect.stringMatching(/expired/i),
    });
    expect(JSON.stringify(lines)).not.toContain(refused.split('.')[2]);
  });
});
