import { describe, expect, it } from 'vitest';
import { createMemoryConnectionRegistry } from '../../../../src/adapters/memory/memory-connection-registry.ts';
import { createBroadcast } from '../../../../src/chat/handoff/broadcast.ts';
import type { ServerFrame } from '../../../../src/protocol/server-frame.ts';

const EAST = 'https://abc.execute-api.us-east-1.amazonaws.com/prod';
const WEST = 'https://xyz.execute-api.eu-west-1.amazonaws.com/prod';

describe('a broadcast to a user’s connections', () => {
  it('sends each frame through the API the connection is on, another region’s included (decision 21)', async () => {
    const registry = createMemoryConnectionRegistry();
    await registry.add({ connectionId: 'tab-east', userId: 'alice', agent: false, endpoint: EAST });
    await registry.add({ connectionId: 'tab-west', userId: 'alice', agent: false, endpoint: WEST });
    await registry.add({ connectionId: 'tab-here', userId: 'alice', agent: false });
    const sent: Array<{ connectionId: string; endpoint: string | undefined }> = [];
    const broadcast = createBroadcast({
      registry,
      send: async (connectionId, _frame, endpoint) => {
        sent.push({ connectionId, endpoint });
      },
    });
    const frame = { type: 'agent', sessionId: 's', agentId: 'bob', text: 'Hello' } as unknown as ServerFrame;

    expect(await broadcast.toUser('alice', frame)).toBe(3);
    expect(sent.sort((a, b) => a.connectionId.localeCompare(b.connectionId))).toEqual([
      { connectionId: 'tab-east', endpoint: EAST },
      { connectionId: 'tab-here', endpoint: undefined },
      { connectionId: 'tab-west', endpoint: WEST },
    ]);
  });
});
