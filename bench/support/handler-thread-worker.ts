import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { RouteHandler } from '../../src/lambda/websocket-route.ts';
import { now } from './clock.ts';
import type { Invocation, InvocationTiming, ThreadReply, ThreadRequest } from './handler-thread.ts';
import { createLambdaContext, createMessageEvent } from './lambda-event.ts';

/*
 * The Lambda side of a handler thread: loads the handler module once (a warm container), then runs each lane
 * of invocations one after another, all lanes at once.
 */

const port = parentPort;
if (!port) throw new Error('handler-thread-worker runs only as a worker thread');
const reply = (message: ThreadReply) => port.postMessage(message);
const { module, functionName } = workerData as { module: string; functionName: string };

async function invokeLane(handler: RouteHandler, lane: Invocation[], timeoutMs: number) {
  const timings: InvocationTiming[] = [];
  for (const { connectionId, userId, body } of lane) {
    // The runtime builds the event and context; the clock starts when the handler is called.
    const event = createMessageEvent(connectionId, body, { userId });
    const context = createLambdaContext(functionName, timeoutMs);
    const startedAt = now();
    try {
      await handler(event, context);
      timings.push({ connectionId, startedAt, endedAt: now() });
    } catch (error) {
      timings.push({ connectionId, startedAt, endedAt: now(), failure: String(error) });
    }
  }
  return timings;
}

try {
  const { handler } = (await import(module)) as { handler: RouteHandler };
  port.on('message', async (request: ThreadRequest) => {
    if (request.type === 'ping') return reply({ type: 'pong', id: request.id, at: now() });
    const before = performance.eventLoopUtilization();
    const lanes = await Promise.all(
      request.lanes.map((lane) => invokeLane(handler, lane, request.timeoutMs)),
    );
    const { active } = performance.eventLoopUtilization(before);
    reply({ type: 'invoked', timings: lanes.flat(), busyMs: active });
  });
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
