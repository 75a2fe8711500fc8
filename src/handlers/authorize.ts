import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { isAllowedOrigin } from '../adapters/auth/allowed-origin.ts';
import { createTokenVerifier } from '../adapters/auth/token-verifier.ts';
import { loadAllowedOrigins, loadAuthConfig } from '../config.ts';
import { createLogger } from '../lambda/observability.ts';

const config = loadAuthConfig();
const allowedOrigins = loadAllowedOrigins();
const verifier = config.mode === 'off' ? undefined : createTokenVerifier(config);
const logger = createLogger();

/**
 * The `$connect` REQUEST authorizer. Browsers cannot set headers on a WebSocket, so the JWT comes in the
 * `token` query parameter. A valid token allows the connection and names its user for every later route
 * (`requestContext.authorizer.userId`, and its groups in `groups`); anything else is denied and the
 * connection refused. A browser page from an origin not in CHAT_ALLOWED_ORIGINS (when set) is refused before
 * its token is looked at.
 */
export const handler = async (
  event: APIGatewayRequestAuthorizerEvent,
): Promise<APIGatewayAuthorizerResult> => {
  if (!isAllowedOrigin(event.headers, allowedOrigins)) {
    logger.info('connection refused: origin not allowed');
    return policy('Deny', 'anonymous', event.methodArn, '');
  }
  if (!verifier) return policy('Allow', 'anonymous', event.methodArn, '');
  const token = event.queryStringParameters?.token;
  if (!token) {
    logger.info('connection refused: no token');
    return policy('Deny', 'anonymous', event.methodArn, '');
  }
  try {
    const { userId, groups } = await verifier.verify(token);
    return policy('Allow', userId, event.methodArn, userId, groups);
  } catch (error) {
    // The reason (expired, wrong audience, bad signature) is logged; the token itself never is.
    logger.info('connection refused: invalid token', { reason: (error as Error).message });
    return policy('Deny', 'anonymous', event.methodArn, '');
  }
};

function policy(
  effect: 'Allow' | 'Deny',
  principalId: string,
  methodArn: string,
  userId: string,
  groups: string[] = [],
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: methodArn }],
    },
    // An authorizer context holds only strings, numbers and booleans on AWS: the groups go as a JSON array.
    context: { userId, groups: JSON.stringify(groups) },
  };
}
