import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreeStackPorts, ROOT, type Stack, startStack } from '../../local/stack.ts';
import type { ServerFrame } from '../../src/protocol/server-frame.ts';
import {
  type ConversationEvent,
  type ConversationState,
  createConversation,
  updateConversation,
} from '../../web/src/chat/conversation.ts';
import { parseIncomingFrame } from '../../web/src/chat/incoming-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { TEST_HANDLER_ENV } from '../support/global-stack.ts';
import { stackInfoOf } from '../support/stack-info.ts';

/**
 * Issue 19, item 5: a Lambda that fails (throws at load, times out) gets the client API Gateway's
 * `{"message":"Internal server error",…}` instead of a frame of ours. This stack's getHistory, sendMessage and
 * cancel bundles do not parse, as after a bad deploy, so those routes fail at load for real; the web client's
 * own code then turns the frame it really got into the state the user sees.
 */
const BROKEN_ROUTES = ['get-history', 'send-message', 'cancel'] as const;

let stack: Stack;
let socket: ChatSocket;

beforeAll(async () => {
  const ports = await findFreeStackPorts();
  stack = await startStack({
    ports,
    emulator: { mode: 'scripted', firstTokenMs: 0, tokenMs: 0 },
    auth: true,
    handlerEnv: TEST_HANDLER_ENV,
  });
  // Where local/stack.ts has serverless-esbuild build this stack's handlers; each loads at its first call.
  const handlers = join(ROOT, '.esbuild-stacks', String(ports.websocket), '.build', 'src', 'handlers');
  for (const route of BROKEN_ROUTES) {
    const bundle = join(handlers, `${route}.mjs`);
    expect(existsSync(bundle), bundle).toBe(true);
    writeFileSync(bundle, 'export const handler = ;\n');
  }
  socket = await openChat(stackInfoOf(stack));
}, 150_000);

afterAll(async () => {
  await socket?.close();
  await stack?.stop();
});

const sessionId = crypto.randomUUID();
const turnId = crypto.randomUUID();

/** Plays the client's events from a fresh conversation of `sessionId`. */
const play = (...events: ConversationEvent[]): ConversationState =>
  events.reduce(updateConversation, createConversation(sessionId));
const frame = (value: ServerFrame): ConversationEvent => ({ type: 'frameReceived', frame: value });
const history = frame({
  type: 'history',
  sessionId,
  turns: 0,
  messages: [],
  usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
});

describe.each([
  {
    wait: 'the history',
    request: { action: 'getHistory', sessionId },
    waiting: () => play({ type: 'historyRequested' }),
    expected: { loading: false, problem: { retry: 'load', message: expect.stringMatching(/not be loaded/) } },
  },
  {
    wait: 'an answer',
    request: { action: 'sendMessage', sessionId, turnId, message: 'Hello?' },
    waiting: () => play(history, { type: 'questionSent', turnId, question: 'Hello?' }),
    expected: {
      turn: undefined,
      problem: { retryQuestion: 'Hello?', message: expect.stringMatching(/failed/) },
    },
  },
  {
    wait: 'a Stop',
    request: { action: 'cancel', sessionId, turnId },
    waiting: () =>
      play(history, { type: 'questionSent', turnId, question: 'Long?' }, { type: 'stopRequested' }),
    expected: {
      turn: { stopping: false },
      problem: { retry: 'stop', message: expect.stringMatching(/Stop/) },
    },
  },
])('a Lambda that fails at load while the client waits for $wait', ({ request, waiting, expected }) => {
  it('sends API Gateway’s failure frame, keeps the connection, and the client offers to try again', async () => {
    const from = socket.frames.length;
    socket.send(request);
    const received = await socket.waitFor(() => true, { fromIndex: from, timeoutMs: 30_000 });

    expect(received).toEqual({
      message: 'Internal server error',
      connectionId: expect.any(String),
      requestId: expect.any(String),
    });
    expect(socket.isOpen).toBe(true);

    const incoming = parseIncomingFrame(JSON.stringify(received));
    expect(incoming).toEqual({ kind: 'gatewayError', message: 'Internal server error' });
    expect(updateConversation(waiting(), { type: 'requestFailed' })).toMatchObject(expected);
  });
});

it('still answers on routes that load, over the same connection', async () => {
  const from = socket.frames.length;
  socket.send({ action: 'getUsage' });

  expect(await socket.waitFor(() => true, { fromIndex: from })).toMatchObject({ type: 'usage' });
});
