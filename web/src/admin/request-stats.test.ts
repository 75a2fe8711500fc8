import { describe, expect, it } from 'vitest';
import { createFakeSockets } from '../testing/fake-socket.ts';
import { requestStats } from './request-stats.ts';

describe('requestStats', () => {
  it('asks for the statistics once the socket is open, and closes it when they come', async () => {
    const sockets = createFakeSockets();
    const result = requestStats(
      'ws://x',
      { since: '2026-11-30T00:00:00Z' },
      { createSocket: sockets.create },
    );
    sockets.latest().open();
    expect(sockets.latest().sent).toEqual([{ action: 'getStats', since: '2026-11-30T00:00:00Z' }]);
    sockets
      .latest()
      .receive({ type: 'stats', sessionId: null, since: 's', until: 'u', hours: [], figures: [] });
    expect(await result).toMatchObject({ ok: true, frame: { type: 'stats' } });
    expect(sockets.latest().closedByClient).toBe(true);
  });

  it('gives the error frame of a refusal (FORBIDDEN for a non-admin)', async () => {
    const sockets = createFakeSockets();
    const result = requestStats('ws://x', { since: 's' }, { createSocket: sockets.create });
    sockets.latest().open();
    sockets.latest().receive({
      type: 'error',
      sessionId: null,
      code: 'FORBIDDEN',
      message: 'admins only',
      retryable: false,
    });
    expect(await result).toEqual({ ok: false, code: 'FORBIDDEN', message: 'admins only' });
  });

  it('says NETWORK when the connection closes first or nothing comes in time', async () => {
    const sockets = createFakeSockets();
    const closed = requestStats('ws://x', { since: 's' }, { createSocket: sockets.create });
    sockets.latest().drop();
    expect(await closed).toMatchObject({ ok: false, code: 'NETWORK' });
    const late = requestStats('ws://x', { since: 's' }, { createSocket: sockets.create, timeoutMs: 10 });
    sockets.latest().open();
    expect(await late).toMatchObject({ ok: false, code: 'NETWORK' });
  });
});
