import { bypass, http, type RequestHandler } from 'msw';
import type { Operation } from '../emulator/bedrock-types.ts';
import {
  createFrameDecoder,
  EVENT_STREAM_CONTENT_TYPE,
  type ReceivedFrame,
} from '../emulator/event-stream.ts';
import { BEDROCK_ROUTES, routeTarget } from '../emulator/handlers.ts';

/** One request forwarded upstream and everything that came back, before any redaction. */
export interface Exchange {
  operation: Operation;
  target: string;
  requestBody: Record<string, unknown>;
  status: number;
  /** The response headers a replay needs; request headers are never kept. */
  headers: Record<string, string>;
  /** An event-stream answer, frame by frame, with each frame's arrival in ms since the request. */
  frames?: Array<{ frame: ReceivedFrame; atMs: number }>;
  /** Any other answer: its text and when it had fully arrived. */
  text?: string;
  atMs?: number;
}

/** Response headers worth replaying: the content type, and the error type the SDK reads an error's name from. */
const REPLAYED_HEADERS = ['content-type', 'x-amzn-errortype'];
/** Headers that describe one hop's transfer, not the answer; fetch has already undone any content-encoding. */
const HOP_BY_HOP_HEADERS = ['connection', 'transfer-encoding', 'date', 'content-encoding', 'content-length'];

/**
 * msw handlers that forward every Bedrock call to where it was going (`bypass` keeps the SigV4 signature
 * intact), or through `forward` (re-signed for AWS by `npm run dev -- --bedrock aws`), pass the answer back to
 * the caller as it streams, and report each exchange. `onExchange` is called as each request arrives, so
 * exchanges keep the order of the requests; each promise settles when its answer has been fully read.
 */
export function createRecordingHandlers(
  onExchange: (exchange: Promise<Exchange>) => void,
  forward: (request: Request) => Promise<Response> = (request) => fetch(bypass(request)),
): RequestHandler[] {
  return BEDROCK_ROUTES.map((route) =>
    http.post(route.path, async ({ request, params }) => {
      const startedAt = performance.now();
      const elapsed = () => performance.now() - startedAt;
      let settle!: (exchange: Exchange | Promise<Exchange>) => void;
      let fail!: (error: unknown) => void;
      onExchange(
        new Promise<Exchange>((resolve, reject) => {
          settle = resolve;
          fail = reject;
        }),
      );
      try {
        const requestBody = (await request.clone().json()) as Record<string, unknown>;
        const upstream = await forward(request);
        const base = {
          operation: route.operation,
          target: routeTarget(route, params),
          requestBody,
          status: upstream.status,
          headers: pickHeaders(upstream.headers, (name) => REPLAYED_HEADERS.includes(name)),
        };
        const forwardHeaders = pickHeaders(upstream.headers, (name) => !HOP_BY_HOP_HEADERS.includes(name));
        const isEventStream = upstream.headers.get('content-type')?.startsWith(EVENT_STREAM_CONTENT_TYPE);
        if (isEventStream && upstream.body) {
          const capture = captureEventStream(upstream.body, elapsed);
          settle(capture.finished.then((frames) => ({ ...base, ...frames })));
          return new Response(capture.body, { status: upstream.status, headers: forwardHeaders });
        }
        const text = await upstream.text();
        settle({ ...base, text, atMs: elapsed() });
        return new Response(text, { status: upstream.status, headers: forwardHeaders });
      } catch (error) {
        fail(error);
        throw error;
      }
    }),
  );
}

/**
 * Passes an event stream through chunk by chunk while splitting it into frames, noting when each arrived. The
 * capture ends with the upstream stream (a client that cancels ends it early, with what arrived so far).
 */
function captureEventStream(source: ReadableStream<Uint8Array>, elapsed: () => number) {
  const reader = source.getReader();
  const decoder = createFrameDecoder();
  const frames: Array<{ frame: ReceivedFrame; atMs: number }> = [];
  let resolve!: (captured: Pick<Exchange, 'frames'>) => void;
  let reject!: (error: unknown) => void;
  const finished = new Promise<Pick<Exchange, 'frames'>>((res, rej) => {
    resolve = res;
    reject = rej;
  });

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          decoder.end();
          controller.close();
          resolve({ frames });
          return;
        }
        const atMs = elapsed();
        for (const frame of decoder.push(value)) frames.push({ frame, atMs });
        controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        reject(error);
      }
    },
    async cancel(reason) {
      resolve({ frames });
      await reader.cancel(reason);
    },
  });
  return { body, finished };
}

function pickHeaders(headers: Headers, keep: (name: string) => boolean): Record<string, string> {
  return Object.fromEntries([...headers].filter(([name]) => keep(name.toLowerCase())));
}
