import { describe, expect, it } from 'vitest';
import { createMemorySessionStore } from '../../../src/adapters/memory/memory-session-store.ts';
import { createMemoryStopRequests } from '../../../src/adapters/memory/memory-stop-requests.ts';
import { cancelTurn } from '../../../src/chat/cancel-turn.ts';
import { ForbiddenError } from '../../../src/chat/errors.ts';
import { createSession } from '../../../src/chat/session.ts';
import { createFakeClock } from '../../support/fakes.ts';

describe('cancelTurn', () => {
  it('records a stop request the running turn will find', async () => {
    const stopRequests = createMemoryStopRequests();
    await cancelTurn(
      { sessions: createMemorySessionStore(), stopRequests, clock: createFakeClock() },
      { sessionId: 's', turnId: 't' },
    );
    expect(await stopRequests.find('s', 't')).toMatchObject({ reason: 'cancelled' });
  });

  it("refuses to cancel a turn in someone else's session", async () => {
    const clock = createFakeClock();
    const owned = {
      ...createSession('s', 'alice', clock.now()),
      version: 1,
      expiresAt: clock.now() / 1000 + 60,
    };
    const stopRequests = createMemoryStopRequests();
    await expect(
      cancelTurn(
        { sessions: createMemorySessionStore([owned]), stopRequests, clock },
        { sessionId: 's', turnId: 't', userId: 'bob' },
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await stopRequests.find('s', 't')).toBeUndefined();
  });
});
