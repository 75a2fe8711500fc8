import { request } from 'node:http';
import { describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { devToken } from '../support/chat-socket.ts';

const stack = inject('stack');
const ATTACKER = 'https://attacker.example';

/** GET /token on the dev issuer with the given headers (node:http, so Host and Origin are what we say). */
function askForToken(
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  const url = new URL('/token?user=victim', stack.authUrl);
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers }));
    })
      .on('error', reject)
      .end();
  });
}

/** Opens the WebSocket as a browser page on `origin` would; resolves with the HTTP status of the upgrade. */
async function upgradeStatus(origin: string | undefined): Promise<number> {
  const url = `${stack.websocketUrl}?token=${await devToken(stack, `user-${crypto.randomUUID()}`)}`;
  const ws = new WebSocket(url, origin === undefined ? {} : { origin });
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    ws.once('error', () => undefined);
  });
}

describe('the dev sign-in and the local WebSocket serve only the dev web app (and tools)', () => {
  it('gives the web app a token it may read, and refuses any other web origin', async () => {
    const web = await askForToken({ Origin: stack.webOrigin });
    expect(web.status).toBe(200);
    expect(web.headers['access-control-allow-origin']).toBe(stack.webOrigin);

    const attacker = await askForToken({ Origin: ATTACKER });
    expect(attacker.status).toBe(403);
    expect(attacker.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a page that rebinds its own domain to 127.0.0.1 (the Host is not a loopback name)', async () => {
    const port = new URL(stack.authUrl).port;
    expect((await askForToken({ Host: `attacker.example:${port}` })).status).toBe(403);
  });

  it('serves tools that send no Origin, such as curl or wscat', async () => {
    expect((await askForToken({})).status).toBe(200);
  });

  it('refuses a WebSocket upgrade from another origin even with a valid token; the web app and tools connect', async () => {
    expect(await upgradeStatus(ATTACKER)).toBe(403);
    expect(await upgradeStatus(stack.webOrigin)).toBe(101);
    expect(await upgradeStatus(undefined)).toBe(101);
  });
});
