import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { AuthConfig } from '../../config.ts';

/** Who a valid token belongs to. */
export interface VerifiedUser {
  userId: string;
}

export interface TokenVerifier {
  /** Resolves with the user of a valid, unexpired token; rejects otherwise. */
  verify(token: string): Promise<VerifiedUser>;
}

/**
 * A verifier for the configured issuer, built once per container so its JWKS cache survives warm calls.
 * cognito: Amazon Cognito user-pool ID tokens for our app client. jwt: any issuer, with keys given inline
 * (the local dev issuer) or fetched over HTTPS.
 */
export function createTokenVerifier(config: Exclude<AuthConfig, { mode: 'off' }>): TokenVerifier {
  if (config.mode === 'cognito') {
    const verifier = CognitoJwtVerifier.create({
      userPoolId: config.userPoolId,
      clientId: config.clientId,
      tokenUse: 'id',
    });
    return { verify: async (token) => ({ userId: (await verifier.verify(token)).sub }) };
  }
  const verifier = JwtVerifier.create({
    issuer: config.issuer,
    audience: config.audience,
    ...(config.jwksUri ? { jwksUri: config.jwksUri } : {}),
  });
  // aws-jwt-verify fetches keys over HTTPS only; inline keys serve issuers that are not (the local dev issuer).
  if (config.jwks) verifier.cacheJwks(JSON.parse(config.jwks));
  return {
    async verify(token) {
      const payload = await verifier.verify(token, {});
      if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('token has no subject');
      return { userId: payload.sub };
    },
  };
}
