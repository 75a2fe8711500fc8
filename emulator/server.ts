import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse } from 'msw';
import type { Emulator } from './emulator.ts';
import { createBedrockHandlers } from './handlers.ts';

export interface EmulatorServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The emulator as a local HTTP/1.1 server (for serverless-offline, whose handlers run in other threads, and
 * for `npm run dev`). The same msw handlers answer; each response body is streamed chunk by chunk, and a
 * client that hangs up cancels it, which the call log records.
 *
 * Admin API: GET /_emulator/health, GET /_emulator/calls, DELETE /_emulator/calls.
 */
export async function startEmulatorServer(options: {
  emulator: Emulator;
  port?: number;
  host?: string;
}): Promise<EmulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const handlers = createBedrockHandlers(options.emulator);

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `Emulator error: ${(error as Error).message}` }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
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

  function admin(url: URL, req: IncomingMessage, res: ServerResponse) {
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
  server.keepAliveTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** Writes each chunk as it comes; if the client goes away first, the body is cancelled. */
async function pipeBody(response: Response, res: ServerResponse) {
  if (!response.body) return void res.end();
  const reader = response.body.getReader();
  const onClose = () => {
    if (!res.writableFinished) void reader.cancel().catch(() => undefined);
  };
  res.on('close', onClose);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  } catch {
    res.destroy();
  } finally {
    res.off('close', onClose);
  }
}
