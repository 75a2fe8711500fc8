import type { FirstTokenTimings } from '../../src/chat/turn.ts';
import type { RouteHandler } from '../../src/lambda/websocket-route.ts';
import { now } from './clock.ts';
import type { Invocation, InvocationTiming, ProcessReply, ProcessRequest } from './handler-process.ts';
import { createLambdaContext, createMessageEvent } from './lambda-event.ts';

/*
 * The Lambda side of a handler process: loads the handler module once (a warm container), then runs each
 * lane of invocations one after another, all lanes at once. Arguments: the module's URL, the function name.
 */

const [module, functionName = 'sendMessage'] = process.argv.slice(2);
const reply = (message: ProcessReply) => process.send?.(message);
// A benchmark that dies must not leave its handler processes behind.
process.once('disconnect', () => process.exit(0));

/*
 * The handler's own `turn finished` log lines, read off stdout as a log shipper would: they say where its
 * time to the first token went (see FirstTokenTimings). The lines are still written.
 */
const turnTimings = new Map<string, FirstTokenTimings>();
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line.includes('"turn finished"')) continue;
    const { turnId, timings } = JSON.parse(line) as { turnId?: string; timings?: FirstTokenTimings };
    if (turnId && timings) turnTimings.set(turnId, timings);
  }
  return writeStdout(chunk, ...rest);
}) as typeof process.stdout.write;

const turnIdOf = (body: string) => (JSON.parse(body) as { turnId?: string }).turnId ?? '';

async function invokeLane(handler: RouteHandler, lane: Invocation[], timeoutMs: number, delayMs: number) {
  const timings: InvocationTiming[] = [];
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
  for (const { connectionId, userId, body } of lane) {
    // The runtime builds the event and context; the clock starts when the handler is called.
    const event = createMessageEvent(connectionId, body, { userId });
    const context = createLambdaContext(functionName, timeoutMs);
    const startedAt = now();
    try {
      await handler(event, context);
      const endedAt = now();
      const turnId = turnIdOf(body);
      timings.push({ connectionId, startedAt, endedAt, firstToken: turnTimings.get(turnId) });
      turnTimings.delete(turnId);
    } catch (error) {
      timings.push({ connectionId, startedAt, endedAt: now(), failure: String(error) });
    }
  }
  return timings;
}

try {
  if (!module || !process.send) throw new Error('handler-process-child runs only as a forked child');
  const { handler } = (await import(module)) as { handler: RouteHandler };
  process.on('message', async (request: ProcessRequest) => {
    if (request.type === 'ping') return reply({ type: 'pong', id: request.id, at: now() });
    const before = process.cpuUsage();
    const lanes = await Promise.all(
      request.lanes.map((lane, index) =>
        invokeLane(handler, lane, request.timeoutMs, index * request.staggerMs),
      ),
    );
    const { user, system } = process.cpuUsage(before);
    reply({ type: 'invoked', timings: lanes.flat(), cpuMs: (user + system) / 1000 });
  });
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
