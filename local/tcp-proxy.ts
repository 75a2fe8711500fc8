import type { AddressInfo } from 'node:net';
import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 that can cut the line: `cut()` drops every connection and refuses new ones (as a
 * dead database does), `restore()` lets traffic through again. `freeze()` lets requests through but holds every
 * answer (a database that applies a write and then hangs: the caller times out not knowing it landed), and
 * `thaw()` delivers what was held. Used to take DynamoDB away from the handlers in the resilience tests without
 * losing its data.
 */
export interface TcpProxy {
  port: number;
  cut(): void;
  restore(): void;
  freeze(): void;
  thaw(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(options: { targetPort: number; port?: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const lines = new Set<{ client: Socket; upstream: Socket }>();
  let open = true;
  let frozen = false;
  const server = createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: '127.0.0.1', port: options.targetPort });
    const line = { client, upstream };
    lines.add(line);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => {
        sockets.delete(socket);
        lines.delete(line);
      });
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    if (!frozen) upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    cut() {
      open = false;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      open = true;
    },
    freeze() {
      frozen = true;
      // Answers stay buffered in the upstream sockets until thawed.
      for (const { client, upstream } of lines) upstream.unpipe(client);
    },
    thaw() {
      frozen = false;
      for (const { client, upstream } of lines) upstream.pipe(client);
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
