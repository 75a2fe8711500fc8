import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import {
  BINARY_FRAME_PROBLEM,
  type ClientAction,
  type FrameLimits,
  type FrameReading,
  readClientFrame,
} from '../protocol/client-frame.ts';

/** Authorizer output as API Gateway hands it to later routes (offline puts principalId beside the context). */
type AuthorizerContext = { principalId?: unknown; userId?: unknown; groups?: unknown } | undefined;

const authorizerOf = (event: APIGatewayProxyWebsocketEventV2) =>
  (event.requestContext as { authorizer?: AuthorizerContext }).authorizer;

/** The user the $connect authorizer named (its principalId), when auth is on. */
export function userIdOf(event: APIGatewayProxyWebsocketEventV2): string | undefined {
  const authorizer = authorizerOf(event);
  const userId = authorizer?.userId ?? authorizer?.principalId;
  return typeof userId === 'string' && userId !== '' ? userId : undefined;
}

/**
 * The groups of the user's token (Cognito's `cognito:groups`). An authorizer context holds only strings,
 * numbers and booleans on AWS, so the authorizer passes them as a JSON array in a string.
 */
export function groupsOf(event: APIGatewayProxyWebsocketEventV2): string[] {
  const groups = authorizerOf(event)?.groups;
  if (typeof groups !== 'string' || groups === '') return [];
  try {
    const parsed: unknown = JSON.parse(groups);
    return Array.isArray(parsed) ? parsed.filter((group): group is string => typeof group === 'string') : [];
  } catch {
    return [];
  }
}

/** Where PostToConnection goes for this event's connection. Offline it is configured; on AWS, derived. */
export function managementEndpointOf(
  event: APIGatewayProxyWebsocketEventV2,
  options: { region: string; managementEndpoint: string | undefined },
): string {
  const { apiId, stage } = event.requestContext;
  // The execute-api host works behind custom domains too, where domainName would not.
  return (
    options.managementEndpoint ?? `https://${apiId}.execute-api.${options.region}.amazonaws.com/${stage}`
  );
}

/** The event's frame, read once: a binary frame is refused before any parsing. */
export function readFrameOf(
  event: APIGatewayProxyWebsocketEventV2,
  expected: ClientAction | undefined,
  limits: FrameLimits,
): FrameReading {
  const body: unknown = event.body;
  if (body === undefined || body === null) return readClientFrame(undefined, expected, limits);
  if (typeof body !== 'string' || event.isBase64Encoded) {
    return { ok: false, problem: BINARY_FRAME_PROBLEM, address: { sessionId: null } };
  }
  return readClientFrame(body, expected, limits);
}
