import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { createLifecycleRoute } from '../../../src/lambda/lifecycle-route.ts';

process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

const ENDPOINT = 'http://127.0.0.1:3999';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const config = loadConfig({ CHAT_TABLE_NAME: 't', CHAT_MODEL_ID: 'm', CHAT_MANAGEMENT_ENDPOINT: ENDPOINT });
const context = { functionName: 'chat-dev-connect', getRemainingTimeInMillis: () => 1_000 } as Context;
const event = (eventType: string, body?: string) =>
  ({
    body,
    isBase64Encoded: false,
    requestContext: { connectionId: 'conn-1', routeKey: '$connect', eventType, apiId: 'a', stage: 'dev' },
  }) as unknown as APIGatewayProxyWebsocketEventV2;

function recordPushes() {
  const pushed: Array<{ connectionId: string; frame: unknown }> = [];
  server.use(
    http.post(`${ENDPOINT}/@connections/:id`, async ({ request, params }) => {
      pushed.push({ connectionId: String(params.id), frame: await request.json() });
      return new HttpResponse(null, { status: 200 });
    }),
  );
  return pushed;
}

describe('createLifecycleRoute', () => {
  it('accepts a connection and a disconnection, answering nothing', async () => {
    const pushed = recordPushes();
    const route = createLifecycleRoute(config);

    expect(await route(event('CONNECT'), context)).toEqual({ statusCode: 200 });
    expect(await route(event('DISCONNECT'), context)).toEqual({ statusCode: 200 });
    expect(pushed).toEqual([]);
  });

  it('refuses a frame whose action names the lifecycle route, with an error frame', async () => {
    const pushed = recordPushes();
    const route = createLifecycleRoute(config);

    expect(await route(event('MESSAGE', '{"action":"$connect"}'), context)).toEqual({ statusCode: 200 });

    expect(pushed).toEqual([
      {
        connectionId: 'conn-1',
        frame: expect.objectContaining({ type: 'error', code: 'UNKNOWN_ACTION', sessionId: null }),
      },
    ]);
  });
});
