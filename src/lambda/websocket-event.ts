import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';
import { InvalidFrameError } from '../errors.ts';

/** The parts of a WebSocket route event the chat needs, as plain values. */
export interface WebSocketRequest {
  connectionId: string;
  routeKey: string;
  /** The text frame; undefined for $connect/$disconnect. */
  body: string | undefined;
  /** Set by the $connect authorizer (its principalId), when auth is on. */
  userId: string | undefined;
  /** Where PostToConnection goes for this connection. */
  managementEndpoint: string;
}

/** Authorizer output as API Gateway hands it to later routes (offline puts principalId beside the context). */
type AuthorizerContext = { principalId?: unknown; userId?: unknown } | undefined;

export function toWebSocketRequest(
  event: APIGatewayProxyWebsocketEventV2,
  options: { region: string; managementEndpoint: string | undefined },
): WebSocketRequest {
  const context = event.requestContext;
  const authorizer = (context as { authorizer?: AuthorizerContext }).authorizer;
  const userId = authorizer?.userId ?? authorizer?.principalId;
  return {
    connectionId: context.connectionId,
    routeKey: context.routeKey,
    body: textBody(event),
    userId: typeof userId === 'string' && userId !== '' ? userId : undefined,
    managementEndpoint: managementEndpointOf(event, options),
  };
}

/** Offline the endpoint is configured; on AWS it is derived from the event. */
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

function textBody(event: APIGatewayProxyWebsocketEventV2): string | undefined {
  const body: unknown = event.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'string' || event.isBase64Encoded) {
    throw new InvalidFrameError('Binary frames are not supported; send JSON text frames.');
  }
  return body;
}
