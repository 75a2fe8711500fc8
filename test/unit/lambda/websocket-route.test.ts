import type { APIGatewayProxyWebsocketEventV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import type { ClientPush } from '../../../src/adapters/apigateway/client-push.ts';
import { ClientGoneError } from '../../../src/chat/errors.ts';
import { FrameRefusedError } from '../../../src/lambda/errors.ts';
import { createObservability } from '../../../src/lambda/observability.ts';
import { createWebSocketRoute, type RouteContext } from '../../../src/lambda/websocket-route.ts';
import type { ServerFrame } from '../../../src/protocol/server-frame.ts';
import { captureJsonLines, metricsIn } from '../../support/captured-output.ts';

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

/** A ClientPush that records each frame with the connection it went to. */
function createRecordingPush(): ClientPush & { frames: ServerFrame[]; connections: string[] } {
  const frames: ServerFrame[] = [];
  const connections: string[] = [];
  return {
    frames,
    connections,
    async push(connectionId, frame) {
      connections.push(connectionId);
      frames.push(frame);
    },
  };
}

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
    limits: { maxMessageBytes: 100 },
  };
  return { route, push, endpoints };
}

const context = {
  functionName: 'chat-dev-sendMessage',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 12_345,
} as Context;
const sessionId = '3b241101-e2bb-4255-8caf-4136c566a962';
const turnId = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d';
const getHistory = JSON.stringify({ action: 'getHistory', sessionId });
const history: ServerFrame = {
  type: 'history',
  sessionId,
  turns: 0,
  messages: [],
  usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
};

describe('createWebSocketRoute', () => {
  it('hands the handler plain values: the parsed frame, user, connection, remaining time and a bound reply', async () => {
    const { route, push, endpoints } = setup();
    const handle = vi.fn(async (request) => {
      await request.reply.send(history);
    });

    const result = await createWebSocketRoute(
      route,
      'getHistory',
      handle,
    )(event(getHistory, { authorizer: { principalId: 'user-7', groups: '["admins"]' } }), context);

    expect(result).toEqual({ statusCode: 200 });
    expect(handle).toHaveBeenCalledOnce();
    const request = handle.mock.calls[0]?.[0];
    expect(request).toEqual({
      frame: { action: 'getHistory', sessionId },
      userId: 'user-7',
      groups: ['admins'],
      coldStart: true,
      connectionId: 'conn-1',
      // The caller's API: a connection registered from here is pushed to through it, from any region.
      endpoint: 'https://api123.execute-api.eu-west-1.amazonaws.com/dev',
      reply: { send: expect.any(Function) },
      sendTo: expect.any(Function),
      remainingTimeMs: expect.any(Function),
    });
    expect(request.remainingTimeMs()).toBe(12_345);
    expect(push.connections).toEqual(['conn-1']);
    expect(push.frames).toEqual([history]);
    expect(endpoints).toEqual(['https://api123.execute-api.eu-west-1.amazonaws.com/dev']);
  });

  it('tells the first invocation of the container from later ones, and reads no groups from a bad context', async () => {
    const { route } = setup();
    const seen: Array<[boolean, string[]]> = [];
    const handler = createWebSocketRoute(route, 'getHistory', async (request) => {
      seen.push([request.coldStart, request.groups]);
    });
    await handler(event(getHistory, { authorizer: { principalId: 'u', groups: 'admins' } }), context);
    await handler(event(getHistory, { authorizer: { principalId: 'u', groups: '[1,"ops"]' } }), context);
    expect(seen).toEqual([
      [true, []],
      [false, ['ops']],
    ]);
  });

  it('counts a refused request in the usage stats, as an error of its user', async () => {
    const { route } = setup();
    const refusals: unknown[] = [];
    route.refusals = { recordRefusal: async (refusal) => void refusals.push(refusal) };
    await createWebSocketRoute(route, 'getHistory', async () => {
      throw new FrameRefusedError({ code: 'INVALID_FRAME', message: 'no' });
    })(event(getHistory, { authorizer: { principalId: 'user-7' } }), context);
    expect(refusals).toEqual([{ userId: 'user-7', code: 'INVALID_FRAME', at: expect.any(Number) }]);
  });

  it('still answers a refused request when the usage stats cannot be written', async () => {
    const { route, push } = setup();
    route.refusals = {
      recordRefusal: async () => {
        throw new Error('DynamoDB down');
      },
    };
    const lines = await captureJsonLines(() =>
      createWebSocketRoute(route, 'getHistory', async () => {
        throw new FrameRefusedError({ code: 'INVALID_FRAME', message: 'no' });
      })(event(getHistory), context),
    );
    expect(push.frames).toMatchObject([{ type: 'error', code: 'INVALID_FRAME' }]);
    expect(lines.some((line) => line.message === 'refusal not counted in the usage stats')).toBe(true);
  });

  it('pushes to the configured endpoint offline', async () => {
    const { route, endpoints } = setup('http://127.0.0.1:3001');
    await createWebSocketRoute(route, 'getHistory', async ({ reply }) => reply.send(history))(
      event(getHistory),
      context,
    );
    expect(endpoints).toEqual(['http://127.0.0.1:3001']);
  });

  it('builds no push client for a route that sends nothing', async () => {
    const { route, endpoints } = setup();
    await createWebSocketRoute(route, 'getHistory', async () => {})(event(getHistory), context);
    expect(endpoints).toEqual([]);
  });

  it('refuses a frame of another action before the handler runs, echoing its session and turn', async () => {
    const { route, push } = setup();
    const handle = vi.fn(async () => {});

    await createWebSocketRoute(
      route,
      'getHistory',
      handle,
    )(event(JSON.stringify({ action: 'cancel', sessionId, turnId })), context);

    expect(handle).not.toHaveBeenCalled();
    expect(push.frames).toEqual([
      expect.objectContaining({ type: 'error', sessionId, turnId, code: 'UNKNOWN_ACTION', retryable: false }),
    ]);
  });

  it('never throws: a typed error becomes an error frame addressed to the session named in the frame', async () => {
    const { route, push } = setup();

    const result = await createWebSocketRoute(route, 'getHistory', async () => {
      throw new FrameRefusedError({ code: 'INVALID_FRAME', message: 'message: must not be empty' });
    })(event(getHistory), context);

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
      createWebSocketRoute(route, undefined, async () => {
        throw new TypeError('secret internals at line 42');
      })(event('{"action":"getUsage"}'), context),
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
    await createWebSocketRoute(route, 'getHistory', async () => {
      route.observability.logger.appendKeys({ sessionId: 'first-session' });
    })(event(getHistory), context);

    const lines = await captureJsonLines(() =>
      createWebSocketRoute(route, 'getHistory', async () => route.observability.logger.info('second'))(
        event(getHistory, { connectionId: 'conn-2' }),
        context,
      ),
    );

    expect(lines.find((line) => line.message === 'second')).toMatchObject({ connectionId: 'conn-2' });
    expect(lines.find((line) => line.message === 'second')).not.toHaveProperty('sessionId');
  });

  it('echoes the turn id of a refused frame, so the client knows which request failed', async () => {
    const { route, push } = setup();
    const handle = vi.fn(async () => {});

    await createWebSocketRoute(
      route,
      'sendMessage',
      handle,
    )(event(JSON.stringify({ action: 'sendMessage', sessionId, turnId, message: ' ' })), context);

    expect(handle).not.toHaveBeenCalled();
    expect(push.frames[0]).toMatchObject({ type: 'error', sessionId, turnId, code: 'INVALID_FRAME' });
  });

  it('reads the frame once: a refused frame is never parsed a second time to address its error', async () => {
    const { route } = setup();
    const parse = vi.spyOn(JSON, 'parse');
    try {
      await createWebSocketRoute(route, 'sendMessage', async () => {})(
        event(JSON.stringify({ action: 'sendMessage', sessionId, turnId, message: ' ' })),
        context,
      );
      expect(parse).toHaveBeenCalledOnce();
    } finally {
      parse.mockRestore();
    }
  });

  it('treats a client that left before its answer as nothing gone wrong', async () => {
    const { route, push } = setup();

    const lines = await captureJsonLines(() =>
      createWebSocketRoute(route, 'getHistory', async () => {
        throw new ClientGoneError();
      })(event(getHistory), context),
    );

    expect(push.frames).toEqual([]);
    expect(lines.filter((line) => line.level === 'ERROR')).toEqual([]);
    expect(metricsIn(lines).filter((m) => 'Errors' in m.values)).toEqual([]);
  });

  it('rejects binary frames with a clear error', async () => {
    const { route, push } = setup();
    const binary = { ...event('AAEC'), isBase64Encoded: true };
    await createWebSocketRoute(route, 'getHistory', async () => {})(binary, context);
    expect(push.frames[0]).toMatchObject({
      code: 'INVALID_FRAME',
      message: 'Binary frames are not supported; send JSON text frames.',
    });
  });

  it('survives a client that is already gone when the error frame is pushed', async () => {
    const { route } = setup();
    route.pushFor = () => ({ push: async () => Promise.reject(new ClientGoneError()) });
    const lines = await captureJsonLines(async () => {
      await expect(
        createWebSocketRoute(route, 'getHistory', async () => {
          throw new FrameRefusedError({ code: 'INVALID_FRAME', message: 'x' });
        })(event(getHistory), context),
      ).resolves.toEqual({ statusCode: 200 });
    });
    expect(metricsIn(lines).filter((m) => 'PushFailures' in m.values)).toEqual([]);
  });

  it('logs and counts an error frame that could not be pushed for another reason than a closed connection', async () => {
    const { route } = setup();
    route.pushFor = () => ({ push: async () => Promise.reject(new Error('TimeoutError')) });

    const lines = await captureJsonLines(() =>
      createWebSocketRoute(route, 'getHistory', async () => {
        throw new FrameRefusedError({ code: 'INVALID_FRAME', message: 'x' });
      })(event(getHistory), context),
    );

    expect(lines.find((line) => line.message === 'push failed')).toMatchObject({ level: 'WARN' });
    expect(metricsIn(lines)).toContainEqual(expect.objectContaining({ values: { PushFailures: 1 } }));
  });
});
