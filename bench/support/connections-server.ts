import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toTokens } from '../../emulator/scripted-response.ts';
import type { ServerFrame } from '../../src/protocol/server-frame.ts';
import { now } from './clock.ts';

/** What one connection received: every push counted, the first token and the turn's end timed on arrival. */
export interface ConnectionRecord {
  pushes: number;
  tokenFrames: number;
  /** Model deltas in the streamed text (word-sized pieces, counted as the emulator cuts them). */
  tokens: number;
  firstFrameAt?: number;
  firstTokenAt?: number;
  /** The last token frame's arrival and seq: what a client had shown at a given moment. */
  lastTokenAt?: number;
  lastSeq?: number;
  endAt?: number;
  end?: 'done' | 'error';
  errorCode?: string;
  errorMessage?: string;
  stopReason?: string;
  keptThroughSeq?: number;
  /** The streamed text, whole. */
  text: string;
}

/** API Gateway's management API (`POST /@connections/{id}`) on loopback, recording what each connection got. */
export interface ConnectionsServer {
  url: string;
  record(connectionId: string): ConnectionRecord | undefined;
  /** Forgets every connection (between measured runs). */
  reset(): void;
  close(): Promise<void>;
}

const PATH = /^\/@connections\/([^/?]+)$/;

export async function startConnectionsServer(): Promise<ConnectionsServer> {
  const records = new Map<string, ConnectionRecord>();

  const receive = async (connectionId: string, req: IncomingMessage) => {
    const frame = JSON.parse(await readBody(req)) as ServerFrame;
    const arrivedAt = now();
    let record = records.get(connectionId);
    if (!record) {
      record = { pushes: 0, tokenFrames: 0, tokens: 0, text: '' };
      records.set(connectionId, record);
    }
    observe(record, frame, arrivedAt);
  };

  const server = createServer((req, res) => {
    const id = PATH.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || id === undefined) {
      res.writeHead(404).end();
      return;
    }
    // A frame that is not JSON fails the push, so the turn under test reports an error instead of passing.
    receive(decodeURIComponent(id), req).then(
      () => res.writeHead(200).end(),
      (error: unknown) => res.writeHead(400).end(String(error)),
    );
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    record(connectionId) {
      const record = records.get(connectionId);
      return record && { ...record, tokens: toTokens(record.text).length };
    },
    reset: () => records.clear(),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function observe(record: ConnectionRecord, frame: ServerFrame, arrivedAt: number) {
  record.pushes++;
  record.firstFrameAt ??= arrivedAt;
  if (frame.type === 'token') {
    record.tokenFrames++;
    record.firstTokenAt ??= arrivedAt;
    record.lastTokenAt = arrivedAt;
    record.lastSeq = Math.max(record.lastSeq ?? -1, frame.seq);
    record.text += frame.value;
  } else if (frame.type === 'done' || frame.type === 'error') {
    record.endAt = arrivedAt;
    record.end = frame.type;
    if (frame.type === 'error') {
      record.errorCode = frame.code;
      record.errorMessage = frame.message;
    } else {
      record.stopReason = frame.stopReason;
      record.keptThroughSeq = frame.keptThroughSeq;
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
