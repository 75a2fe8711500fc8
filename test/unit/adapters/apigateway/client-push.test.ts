import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createClientPushCache,
  createManagementApiPush,
  FrameTooLargeError,
  regionOfEndpoint,
} from '../../../../src/adapters/apigateway/client-push.ts';
import { ClientGoneError } from '../../../../src/chat/errors.ts';

process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

const ENDPOINT = 'https://abc123.execute-api.us-east-1.amazonaws.com/dev';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const push = createManagementApiPush(
  new ApiGatewayManagementApiClient({ region: 'us-east-1', endpoint: ENDPOINT }),
);
const frame = { type: 'token', sessionId: 's', turnId: 't', seq: 0, value: 'Hi' } as const;

describe('createManagementApiPush', () => {
  it('posts the frame as JSON to the connection', async () => {
    let posted: { id: string; body: unknown } | undefined;
    server.use(
      http.post(`${ENDPOINT}/@connections/:id`, async ({ request, params }) => {
        posted = { id: decodeURIComponent(String(params.id)), body: await request.json() };
        return new HttpResponse(null, { status: 200 });
      }),
    );

    await push.push('conn=1', frame);

    expect(posted).toEqual({ id: 'conn=1', body: frame });
  });

  it("refuses a frame over API Gateway's 128 KB message limit without sending it, as AWS would", async () => {
    let posts = 0;
    server.use(
      http.post(`${ENDPOINT}/@connections/:id`, () => {
        posts++;
        return new HttpResponse(null, { status: 200 });
      }),
    );
    const overhead = JSON.stringify({ ...frame, value: '' }).length;

    await push.push('conn-3', { ...frame, value: 'x'.repeat(128 * 1024 - overhead) });
    await expect(
      push.push('conn-3', { ...frame, value: 'x'.repeat(128 * 1024 - overhead + 1) }),
    ).rejects.toBeInstanceOf(FrameTooLargeError);
    // Multi-byte text counts in UTF-8 bytes, as API Gateway counts it.
    await expect(push.push('conn-3', { ...frame, value: 'é'.repeat(70 * 1024) })).rejects.toBeInstanceOf(
      FrameTooLargeError,
    );
    expect(posts).toBe(1);
  });

  it('turns 413 PayloadTooLargeException into FrameTooLargeError', async () => {
    server.use(
      http.post(`${ENDPOINT}/@connections/:id`, () =>
        HttpResponse.json(
          { message: 'Payload too large' },
          { status: 413, headers: { 'x-amzn-errortype': 'PayloadTooLargeException' } },
        ),
      ),
    );
    await expect(push.push('conn-4', frame)).rejects.toBeInstanceOf(FrameTooLargeError);
  });

  it('turns 410 Gone into ClientGoneError so the turn can stop', async () => {
    server.use(
      http.post(`${ENDPOINT}/@connections/:id`, () =>
        HttpResponse.json(
          { message: 'Gone' },
          { status: 410, headers: { 'x-amzn-errortype': 'GoneException' } },
        ),
      ),
    );
    await expect(push.push('conn-2', frame)).rejects.toBeInstanceOf(ClientGoneError);
  });

  it('lets other failures through unchanged', async () => {
    server.use(
      http.post(`${ENDPOINT}/@connections/:id`, () =>
        HttpResponse.json(
          { message: 'nope' },
          { status: 403, headers: { 'x-amzn-errortype': 'ForbiddenException' } },
        ),
      ),
    );
    await expect(push.push('conn-3', frame)).rejects.toMatchObject({ name: 'ForbiddenException' });
  });
});

describe('createClientPushCache', () => {
  it('signs a push to another region’s API for that region (a user’s tab there, decision 21)', async () => {
    const west = 'https://xyz789.execute-api.eu-west-1.amazonaws.com/prod';
    let authorization = '';
    server.use(
      http.post(`${west}/@connections/:id`, ({ request }) => {
        authorization = request.headers.get('authorization') ?? '';
        return new HttpResponse(null, { status: 200 });
      }),
    );

    await createClientPushCache('us-east-1')(west).push('conn=2', frame);

    expect(authorization).toMatch(/\/eu-west-1\/execute-api\/aws4_request/);
    expect(regionOfEndpoint(ENDPOINT)).toBe('us-east-1');
    expect(regionOfEndpoint('http://127.0.0.1:3001')).toBeUndefined();
  });

  it('builds one client per endpoint and reuses it', () => {
    const pushFor = createClientPushCache('us-east-1');
    expect(pushFor(ENDPOINT)).toBe(pushFor(ENDPOINT));
    expect(pushFor(ENDPOINT)).not.toBe(pushFor('http://127.0.0.1:3001'));
  });

  it('gives up on a push that gets no answer, rather than holding the turn', async () => {
    server.use(
      http.post(`${ENDPOINT}/@connections/:id`, async () => {
        await delay('infinite');
        return new HttpResponse(null, { status: 200 });
      }),
    );
    const pushFor = createClientPushCache('us-east-1', { timeoutMs: 100 });

    await expect(pushFor(ENDPOINT).push('conn-4', frame)).rejects.toMatchObject({ name: 'TimeoutError' });
  });
});
