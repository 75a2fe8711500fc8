import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * One HTTP/1.1 handler with keep-alive for every SDK client. Bedrock's clients default to HTTP/2, which neither
 * msw nor a plain local emulator can serve; Converse and ConverseStream work the same over HTTP/1.1 on AWS.
 */
export function createHttpHandler(
  options: { requestTimeoutMs?: number; connectionTimeoutMs?: number } = {},
): NodeHttpHandler {
  return new NodeHttpHandler({
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    ...(options.requestTimeoutMs
      ? { requestTimeout: options.requestTimeoutMs, throwOnRequestTimeout: true }
      : {}),
  });
}

/** Region and optional endpoint override shared by the client factories. */
export interface ClientLocation {
  region: string;
  /** Set offline (DynamoDB Local, the Bedrock emulator); unset on AWS, where the SDK default applies. */
  endpoint?: string;
}
