import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  /** Written one by one, as separate network chunks. */
  chunks: Uint8Array[];
}

export interface FakeUpstream {
  url: string;
  /** Every request as it arrived: path, headers (signature included) and body. */
  requests: Array<{ path: string; headers: IncomingHttpHeaders; body: string }>;
  close(): Promise<void>;
}

/** A stand-in for AWS on 127.0.0.1: answers each request with whatever `answer` returns for it. */
export async function startFakeUpstream(
  answer: (request: { path: string; body: string }) => UpstreamAnswer,
): Promise<FakeUpstream> {
  const requests: FakeUpstream['requests'] = [];
  const server = createServer(async (req, res) => {
    const parts: Buffer[] = [];
    for await (const part of req) parts.push(part as Buffer);
    const request = {
      path: req.url ?? '/',
      headers: req.headers,
      body: Buffer.concat(parts).toString('utf8'),
    };
    requests.push(request);
    const { status, headers, chunks } = answer(request);
    res.writeHead(status, headers);
    for (const chunk of chunks) {
      res.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
