import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { ClientGoneError, InvalidFrameError } from '../../../src/errors.ts';
import { createObservability } from '../../../src/lambda/observability.ts';
import { createWebSocketRoute, type RouteContext } from '../../../src/lambda/websocket-route.ts';
import { captureJsonLines, metricsIn } from '../../support/captured-output.ts';
import { createRecordingPush } from '../../support/fakes.ts';

const event = (body: unknown, overrides: Record<string, unknown> = {}) =>
  ({
    body,
    isBase64Encoded: false,
    requestContext: {
      connectionId: 'conn-1',
      routeKey: 'sendMessage',
      apiId: 'api123',
      stage: 'dev',
      ...overrides,
    },
  }) as unknown as APIGatewayProxyWebsocketEventV2;

function setup(managementEndpoint?: string) {
  const push = createRecordingPush();
  const endpoints: string[] = [];
  const route: RouteContext = {
    region: 'eu-west-1',
    managementEndpoint,
    pushFor: (endpoint) => {
      endpoints.push(endpoint);
      return push;
    },
    observability: createObservability(),
  };
  return { route, push, endpoints };
}

const context = { functionName: 'chat-dev-sendMessage', awsRequestId: 'req-1' } as Context;

describe('createWebSocketRoute', () => {
  it('hands the handler plain values: connection, body, user and where to push', async () => {
    const { route, endpoints } = setup();
    const handle = vi.fn(async () => {});

    const result = await createWebSocketRoute(route, handle)(
      event('{"a":1}', { authorizer: { principalId: 'user-7' } }),
      context,
    );

    expect(result).toEqual({ statusCode: 200 });
    expect(handle).toHaveBeenCalledWith(
      {
        connectionId: 'conn-1',
        routeKey: 'sendMessage',
        body: '{"a":1}',
        userId: 'user-7',
        managementEndpoint: 'https://api123.execute-api.eu-west-1.amazonaws.com/dev',
      },
      expect.anything(),
      context,
    );
    expect(endpoints).toEqual(['https://api123.execute-api.eu-west-1.amazonaws.com/dev']);
  });

  it('pushes to the configured endpoint offline', async () => {
    const { route, endpoints } = setup('http://127.0.0.1:3001');
    await createWebSocketRoute(route, async () => {})(event('{}'), context);
    expect(endpoints).toEqual(['http://127.0.0.1:3001']);
  });

  it('never throws: a typed error becomes an error frame addressed to the session named in the frame', async () => {
    const { route, push } = setup();
    const sessionId = '3b241101-e2bb-4255-8caf-4136c566a962';

    const result = await createWebSocketRoute(route, async () => {
      throw new InvalidFrameError('message: must not be empty');
    })(event(JSON.stringify({ sessionId })), context);

    expect(result).toEqual({ statusCode: 200 });
    expect(push.frames).toEqual([
      {
        type: 'error',
        sessionId,
        code: 'INVALID_FRAME',
        message: 'message: must not be empty',
        retryable: false,
      },
    ]);
  });

  it('reports an unexpected failure as INTERNAL without leaking its details, and logs it with the connection', async () => {
    const { route, push } = setup();

    const lines = await captureJsonLines(() =>
      createWebSocketRoute(route, async () => {
        throw new TypeError('secret internals at line 42');
      })(event('{}'), context),
    );

    expect(push.frames).toEqual([
      {
        type: 'error',
        sessionId: null,
        code: 'INTERNAL',
        message: 'Something went wrong on our side. Please try again.',
        retryable: true,
      },
    ]);
    expect(lines.find((line) => line.message === 'request failed')).toMatchObject({
      level: 'ERROR',
      code: 'INTERNAL',
      connectionId: 'conn-1',
      routeKey: 'sendMessage',
      function_request_id: 'req-1',
      error: { name: 'TypeError', message: 'secret internals at line 42' },
    });
    expect(metricsIn(lines)).toContainEqual(
      expect.objectContaining({
        dimensions: expect.objectContaining({ code: 'INTERNAL' }),
        values: { Errors: 1 },
      }),
    );
  });

  it("does not carry one invocation's log keys into the next", async () => {
    const { route } = setup();
    await createWebSocketRoute(route, async () => {
      route.observability.logger.appendKeys({ sessionId: 'first-session' });
    })(event('{}'), context);

    const lines = await captureJsonLines(() =>
      createWebSocketRoute(route, async () => route.observability.logger.info('second'))(
        event('{}', { connectionId: 'conn-2' }),
        context,
      ),
    );

    expect(lines.find((line) => line.message === 'second')).toMatchObject({ connectionId: 'conn-2' });
    expect(lines.find((line) => line.message === 'second')).not.toHaveProperty('sessionId');
  });

  it('echoes the turn id of a refused frame, so the client knows which request failed', async () => {
    const { route, push } = setup();
    const ids = {
      sessionId: '3b241101-e2bb-4255-8caf-4136c566a962',
      turnId: '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
    };

    await createWebSocketRoute(route, async () => {
      throw new InvalidFrameError('message: must not be empty');
    })(event(JSON.stringify(ids)), context);

    expect(push.frames[0]).toMatchObject({ type: 'error', ...ids, code: 'INVALID_FRAME' });
  });

  it('treats a client that left before its answer as nothing gone wrong', async () => {
    const { route, push } = setup();

    const lines = await captureJsonLines(() =>
      createWebSocketRoute(route, async () => {
        throw new ClientGoneError('conn-1');
      })(event('{}'), context),
    );

    expect(push.frames).toEqual([]);
    expect(lines.filter((line) => line.level === 'ERROR')).toEqual([]);
    expect(metricsIn(lines).filter((m) => 'Errors' in m.values)).toEqual([]);
  });

  it('rejects binary frames with a clear error', async () => {
    const { route, push } = setup();
    const binary = { ...event('AAEC'), isBase64Encoded: true };
    await createWebSocketRoute(route, async () => {})(binary, context);
    expect(push.frames[0]).toMatchObject({
      code: 'INVALID_FRAME',
      message: 'Binary frames are not supported; send JSON text frames.',
    });
  });

  it('survives a client that is already gone when the error frame is pushed', async () => {
    const { route } = setup();
    route.pushFor = () => ({ push: async () => Promise.reject(new Error('gone')) });
    await expect(
      createWebSocketRoute(route, async () => {
        throw new InvalidFrameError('x');
      })(event('{}'), context),
    ).resolves.toEqual({ statusCode: 200 });
  });
});
