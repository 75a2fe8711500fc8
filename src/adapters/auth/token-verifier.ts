import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { JwksCache } from 'aws-jwt-verify/jwk';
import type { JwtHeader, JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { AuthConfig } from '../../config.ts';

/** Who a valid token belongs to. */
export interface VerifiedUser {
  userId: string;
  /** The user's groups (Cognito's `cognito:groups` claim); empty when the token names none. */
  groups: string[];
}

export interface TokenVerifier {
  /** Resolves with the user of a valid, unexpired ID token; rejects otherwise. */
  verify(token: string): Promise<VerifiedUser>;
}

/** A token that verified but is not one `$connect` accepts; `message` says why (it is logged, never sent). */
export class TokenRefusedError extends Error {
  override readonly name = 'TokenRefusedError';
}

/**
 * A verifier for the configured issuer, built once per container so its JWKS cache survives warm calls.
 * cognito: Amazon Cognito user-pool ID tokens for our app client. jwt: any issuer, with keys given inline
 * (the local dev issuer) or fetched over HTTPS. In both, a token must expire and must be an ID token.
 * `jwksCache` replaces aws-jwt-verify's own (which fetches over node:https), e.g. to serve keys in tests.
 */
export function createTokenVerifier(
  config: Exclude<AuthConfig, { mode: 'off' }>,
  options: { jwksCache?: JwksCache } = {},
): TokenVerifier {
  const additional = options.jwksCache ? { jwksCache: options.jwksCache } : undefined;
  if (config.mode === 'cognito') {
    const verifier = CognitoJwtVerifier.create(
      {
        userPoolId: config.userPoolId,
        clientId: config.clientId,
        // aws-jwt-verify refuses a token_use other than "id" here, but takes a token without `exp` as eternal.
        tokenUse: 'id',
        customJwtCheck: ({ header, payload }) => checkIdToken(header, payload),
      },
      additional,
    );
    return {
      async verify(token) {
        const payload = await verifier.verify(token);
        return { userId: payload.sub, groups: groupsOf(payload) };
      },
    };
  }
  const verifier = JwtVerifier.create(
    {
      issuer: config.issuer,
      audience: config.audience,
      ...(config.jwksUri ? { jwksUri: config.jwksUri } : {}),
      customJwtCheck: ({ header, payload }) => checkIdToken(header, payload),
    },
    additional,
  );
  // aws-jwt-verify fetches keys over HTTPS only; inline keys serve issuers that are not (the local dev issuer).
  if (config.jwks) verifier.cacheJwks(JSON.parse(config.jwks));
  return {
    async verify(token) {
      const payload = await verifier.verify(token, {});
      if (typeof payload.sub !== 'string' || payload.sub === '')
        throw new TokenRefusedError('token has no subject');
      return { userId: payload.sub, groups: groupsOf(payload) };
    },
  };
}

/**
 * What aws-jwt-verify leaves to us. A token without `exp` would be valid forever (Cognito always sets one).
 * An access token must not open a chat: Cognito's say `token_use: "access"`, other issuers' (RFC 9068)
 * `typ: at+jwt`. Issuers that do not mark ID tokens at all (plain OpenID Connect) are told apart by audience.
 */
function checkIdToken(header: JwtHeader, payload: JwtPayload): void {
  if (typeof payload.exp !== 'number') throw new TokenRefusedError('token has no expiry (exp)');
  if (payload.token_use !== undefined && payload.token_use !== 'id') {
    throw new TokenRefusedError(`token_use is ${JSON.stringify(payload.token_use)}, not "id"`);
  }
  if (typeof header.typ === 'string' && /^(application\/)?at\+jwt$/i.test(header.typ)) {
    throw new TokenRefusedError(`token type ${header.typ} is an access token`);
  }
}

/** `cognito:groups`, as Cognito writes it into ID tokens (the local dev issuer does the same). */
function groupsOf(payload: JwtPayload): string[] {
  const groups = payload['cognito:groups'];
  return Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [];
}
