import { generateKeyPairSync, sign } from 'node:crypto';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier } from '../../../../src/adapters/auth/token-verifier.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] };
const now = () => Math.floor(Date.now() / 1000);
const without = (claims: Record<string, unknown>, name: string) =>
  Object.fromEntries(Object.entries(claims).filter(([key]) => key !== name));

const USER_POOL_ID = 'us-east-1_TestPool1';
const CLIENT_ID = 'web-client-id';
const COGNITO_ISSUER = `https://cognito-idp.us-east-1.amazonaws.com/${USER_POOL_ID}`;

// aws-jwt-verify fetches the user pool's keys from Cognito, here through fetch so msw answers for Cognito
// (msw cannot reach the node:https binding aws-jwt-verify imports).
const jwksCache = new SimpleJwksCache({
  fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
});
const server = setupServer(
  http.get(`${COGNITO_ISSUER}/.well-known/jwks.json`, () => HttpResponse.json(jwks)),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const modes = {
  jwt: {
    verifier: () =>
      createTokenVerifier({
        mode: 'jwt',
        issuer: 'https://issuer.example.com',
        audience: 'chat-web',
        jwks: JSON.stringify(jwks),
        jwksUri: undefined,
      }),
    // What the local dev issuer signs.
    idClaims: () => ({
      iss: 'https://issuer.example.com',
      aud: 'chat-web',
      sub: 'user-42',
      iat: now(),
      exp: now() + 600,
      token_use: 'id',
    }),
  },
  cognito: {
    verifier: () =>
      createTokenVerifier({ mode: 'cognito', userPoolId: USER_POOL_ID, clientId: CLIENT_ID }, { jwksCache }),
    // The claims of a Cognito user-pool ID token.
    idClaims: () => ({
      iss: COGNITO_ISSUER,
      aud: CLIENT_ID,
      sub: 'user-42',
      iat: now(),
      auth_time: now(),
      exp: now() + 600,
      token_use: 'id',
      'cognito:username': 'user-42',
    }),
  },
};

describe.each(Object.entries(modes))('the token verifier in %s mode', (_mode, { verifier, idClaims }) => {
  it('accepts an unexpired ID token and names its user', async () => {
    expect(await verifier().verify(signToken(idClaims()))).toEqual({ userId: 'user-42', groups: [] });
  });

  it("names the user's groups from cognito:groups, as Cognito writes them into ID tokens", async () => {
    const claims = { ...idClaims(), 'cognito:groups': ['admins', 'support'] };
    expect(await verifier().verify(signToken(claims))).toEqual({
      userId: 'user-42',
      groups: ['admins', 'support'],
    });
  });

  it('refuses a token without an expiry, which would otherwise never expire', async () => {
    await expect(verifier().verify(signToken(without(idClaims(), 'exp')))).rejects.toThrow(/exp/);
  });

  it('refuses an access token where an ID token is expected', async () => {
    await expect(verifier().verify(signToken({ ...idClaims(), token_use: 'access' }))).rejects.toThrow(
      /token.use/i,
    );
  });

  it('refuses a token typed as an access token (RFC 9068 at+jwt)', async () => {
    await expect(verifier().verify(signToken(idClaims(), 'at+jwt'))).rejects.toThrow(/access token/);
  });

  it('refuses an expired ID token', async () => {
    await expect(verifier().verify(signToken({ ...idClaims(), exp: now() - 10 }))).rejects.toThrow(
      /expired/i,
    );
  });
});

it('in jwt mode, accepts an ID token from an issuer that does not mark token use (plain OpenID Connect)', async () => {
  const claims = without(modes.jwt.idClaims(), 'token_use');
  expect(await modes.jwt.verifier().verify(signToken(claims))).toEqual({ userId: 'user-42', groups: [] });
});

it('in cognito mode, refuses an access token as Cognito issues them (client_id, no aud)', async () => {
  const { aud: _aud, ...claims } = modes.cognito.idClaims();
  const access = { ...claims, token_use: 'access', client_id: CLIENT_ID, scope: 'openid email' };
  await expect(modes.cognito.verifier().verify(signToken(access))).rejects.toThrow(/token.use/i);
});

it('in cognito mode, refuses a token without token_use', async () => {
  const claims = without(modes.cognito.idClaims(), 'token_use');
  await expect(modes.cognito.verifier().verify(signToken(claims))).rejects.toThrow(/token.use/i);
});

/** An RS256 JWT signed with the key the verifier trusts; `typ` as the issuer wrote it. */
function signToken(claims: Record<string, unknown>, typ = 'JWT'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const data = `${encode({ alg: 'RS256', typ, kid: 'k1' })}.${encode(claims)}`;
  return `${data}.${sign('sha256', Buffer.from(data), privateKey).toString('base64url')}`;
}
