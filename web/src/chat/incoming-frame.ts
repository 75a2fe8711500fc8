import type { ServerFrame } from '../../../src/protocol/server-frame.ts';

/** What arrived on the socket: one of our frames, or API Gateway saying a request failed. */
export type IncomingFrame =
  | { kind: 'frame'; frame: ServerFrame }
  /**
   * API Gateway's own answer when the route's Lambda failed: it threw (even at load), timed out, or the
   * integration timed out. It names no session, turn or action, so the client decides what it answers.
   */
  | { kind: 'gatewayError'; message: string };

const SERVER_FRAME_TYPES = new Set([
  'status',
  'token',
  'sources',
  'done',
  'error',
  'history',
  'usage',
  'sessions',
  'sessionUpdated',
  'sessionDeleted',
  'feedback',
  'memories',
  'upload',
  // Handing off to a person: the user's frames, then the agent console's.
  'handoff',
  'agent',
  'handoffs',
  'transcript',
  'userMessage',
]);

/**
 * Sorts a message from the socket; undefined for anything else (binary data, malformed JSON, an unknown type).
 *
 * API Gateway's failure frames carry no `type`: `{"message": "Internal server error", "connectionId": "…",
 * "requestId": "…"}` when the Lambda fails, `"Endpoint request timed out"` when the integration does
 * (seen from AWS in aws-samples/simple-websockets-chat-app#42 and Kludex/mangum#128). serverless-offline sends
 * the first (src/events/websocket/WebSocketClients.js); test/integration/lambda-failure.test.ts gets it from
 * the offline stack.
 */
export function parseIncomingFrame(data: unknown): IncomingFrame | undefined {
  if (typeof data !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const frame = value as Record<string, unknown>;
  if (typeof frame.type === 'string') {
    return SERVER_FRAME_TYPES.has(frame.type)
      ? { kind: 'frame', frame: frame as unknown as ServerFrame }
      : undefined;
  }
  const fromGateway = typeof frame.message === 'string' && typeof frame.requestId === 'string';
  return fromGateway ? { kind: 'gatewayError', message: frame.message as string } : undefined;
}
