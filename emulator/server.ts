import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type Http2Session,
} from 'node:http2';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { getResponse, type RequestHandler } from 'msw';
import type { Emulator } from './emulator.ts';
import { createBedrockHandlers } from './handlers.ts';

export interface EmulatorServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;

/** The first bytes of every HTTP/2 connection without TLS ("prior knowledge"): `PRI * HTTP/2.0`. */
const HTTP2_PREFACE = Buffer.from('PRI');

/**
 * The emulator as a local server (for serverless-offline, whose handlers run in other threads, and for
 * `npm run dev`), speaking cleartext HTTP/2 and HTTP/1.1 on the same port: the AWS SDK's default Bedrock clients
 * use HTTP/2, this project's clients (and curl) HTTP/1.1, and both must work unchanged. Each connection is
 * handed to the right protocol by its first bytes. The same msw handlers answer; each response body is streamed
 * chunk by chunk, and a client that hangs up cancels it, which the call log records.
 *
 * Admin API: GET /_emulator/health, GET /_emulator/calls, DELETE /_emulator/calls.
 */
export async function startEmulatorServer(options: {
  emulator: Emulator;
  port?: number;
  host?: string;
  /** Serve these instead of the emulator's answers (npm run dev -- --bedrock aws: forwarding to AWS). */
  handlers?: RequestHandler[];
}): Promise<EmulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const handlers = options.handlers ?? createBedrockHandlers(options.emulator);

  const onRequest = (req: Request, res: Response) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `Emulator error: ${(error as Error).message}` }));
    });
  };
  const http1 = createHttp1Server(onRequest);
  http1.keepAliveTimeout = 60_000;
  const http2 = createHttp2Server(onRequest);
  const sockets = new Set<Socket>();
  const sessions = new Set<Http2Session>();
  http2.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  const server = createTcpServer((socket) => {
    // Events go out as they are written (http.createServer does this itself; a plain TCP server must ask).
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.once('readable', function route() {
      const head: Buffer | null = socket.read();
      if (head === null) {
        socket.once('readable', route);
        return;
      }
      socket.unshift(head);
      const protocol = head.subarray(0, HTTP2_PREFACE.length).equals(HTTP2_PREFACE) ? http2 : http1;
      protocol.emit('connection', socket);
    });
  });

  async function handle(req: Request, res: Response) {
    const authority = req.headers.host ?? (req.headers[':authority'] as string | undefined) ?? host;
    const url = new URL(req.url ?? '/', `http://${authority}`);
    if (url.pathname.startsWith('/_emulator/')) return admin(url, req, res);

    const body = await readBody(req);
    const request = new Request(url, {
      method: req.method,
      headers: toHeaders(req),
      ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
    });
    const response = await getResponse(handlers, request);
    if (!response) {
      res.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'UnknownOperationException',
      });
      res.end(JSON.stringify({ message: `The emulator does not serve ${req.method} ${url.pathname}` }));
      return;
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    await pipeBody(response, res);
  }

  function admin(url: URL, req: Request, res: Response) {
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (url.pathname === '/_emulator/health')
      return json(200, { ok: true, mode: options.emulator.options.mode });
    if (url.pathname === '/_emulator/calls' && req.method === 'GET')
      return json(200, options.emulator.calls());
    if (url.pathname === '/_emulator/calls' && req.method === 'DELETE') {
      options.emulator.resetCalls();
      // 204 carries no body.
      res.writeHead(204).end();
      return;
    }
    return json(404, { message: `No admin route ${req.method} ${url.pathname}` });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function readBody(req: Request): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The request's headers as Fetch headers; HTTP/2 pseudo-headers (`:path`, `:method`…) are not headers. */
function toHeaders(req: Request): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** Writes each chunk as it comes; if the client goes away first, the body is cancelled. */
async function pipeBody(response: globalThis.Response, res: Response) {
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  // Our own flag: an HTTP/2 response reports `writableFinished` once its stream is reset, ended or not.
  let ended = false;
  const onClose = () => {
    if (!ended) void reader.cancel().catch(() => undefined);
  };
  res.on('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Both protocols' responses are writable streams; their `write` overloads just do not unify in TypeScript.
      if (!(res as NodeJS.WritableStream).write(value))
        await new Promise((resolve) => res.once('drain', resolve));
    }
    ended = true;
    res.end();
  } catch {
    res.destroy();
  } finally {
    res.off('close', onClose);
  }
}
