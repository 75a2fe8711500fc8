import { describe, expect, it } from 'vitest';
import { createMemoryConnectionRegistry } from '../../../../src/adapters/memory/memory-connection-registry.ts';
import { createMemoryHandoffQueue } from '../../../../src/adapters/memory/memory-handoff-queue.ts';
import { createMemorySessionStore } from '../../../../src/adapters/memory/memory-session-store.ts';
import { ClientGoneError } from '../../../../src/chat/errors.ts';
import { sendAgentMessage } from '../../../../src/chat/handoff/agent-message.ts';
import { createBroadcast } from '../../../../src/chat/handoff/broadcast.ts';
import { claimHandoff } from '../../../../src/chat/handoff/claim-handoff.ts';
import { cancelHandoff, releaseHandoff } from '../../../../src/chat/handoff/close-handoff.ts';
import { fitsHandoff } from '../../../../src/chat/handoff/handoff-bound.ts';
import type { HandoffDependencies } from '../../../../src/chat/handoff/handoff-dependencies.ts';
import type { StoredHandoff } from '../../../../src/chat/handoff/handoff-ports.ts';
import { listHandoffs } from '../../../../src/chat/handoff/list-handoffs.ts';
import { relayUserMessage } from '../../../../src/chat/handoff/relay-user-message.ts';
import { requestHandoff } from '../../../../src/chat/handoff/request-handoff.ts';
import { jsonBytes } from '../../../../src/chat/window.ts';
import { TURN_BYTES } from '../../../../src/config.ts';
import type { ServerFrame } from '../../../../src/protocol/server-frame.ts';
import {
  createFakeClock,
  createRecordingReply,
  storedSession,
  testTurnSettings,
} from '../../../support/fakes.ts';

const AGENTS = ['agents'];
const agentWords = (text: string) => ({ kind: 'agentMessage', by: 'carol', at: 0, text }) as const;

function setup() {
  const clock = createFakeClock();
  const queue = createMemoryHandoffQueue();
  const registry = createMemoryConnectionRegistry();
  const sessions = createMemorySessionStore();
  const sent: Array<{ connectionId: string; frame: ServerFrame }> = [];
  const gone = new Set<string>();
  const observed: string[] = [];
  const deps: HandoffDependencies = {
    queue,
    sessions,
    clock,
    settings: testTurnSettings(),
    broadcast: createBroadcast({
      registry,
      send: async (connectionId, frame) => {
        if (gone.has(connectionId)) throw new ClientGoneError();
        sent.push({ connectionId, frame });
      },
    }),
    observer: {
      queued: (handoff) => {
        observed.push(`queued ${handoff.reason}`);
      },
      claimed: (_handoff, waitedMs) => {
        observed.push(`claimed after ${waitedMs}`);
      },
      resolved: (_handoff, outcome, durationMs) => {
        observed.push(`${outcome} after ${durationMs}`);
      },
    },
  };
  const framesTo = (connectionId: string) =>
    sent.filter((push) => push.connectionId === connectionId).map((push) => push.frame);
  return { deps, clock, queue, registry, sessions, sent, gone, observed, framesTo };
}

async function queued(t: ReturnType<typeof setup>, sessionId = 'session-1', userId = 'alice') {
  if (!(await t.sessions.load(sessionId)))
    await t.sessions.save(storedSession({ sessionId, ownerId: userId }), 0);
  return requestHandoff(t.deps, {
    sessionId,
    userId,
    reason: 'user_request',
    summary: 'wants a person',
    expiresAt: 0,
  });
}

/** The queued handoff of session-1, claimed by the agent carol. */
async function claimedByCarol(t: ReturnType<typeof setup>) {
  await claimHandoff(t.deps, {
    sessionId: 'session-1',
    userId: 'carol',
    groups: AGENTS,
    reply: createRecordingReply(),
  });
}

describe('the handoff to a person', () => {
  it('queues in order and tells each waiting user their place in line, on every tab', async () => {
    const t = setup();
    await t.registry.add({ connectionId: 'alice-1', userId: 'alice', agent: false });
    await t.registry.add({ connectionId: 'alice-2', userId: 'alice', agent: false });
    await t.registry.add({ connectionId: 'bob-1', userId: 'bob', agent: false });

    expect(await queued(t, 'session-1', 'alice')).toEqual({ position: 1, alreadyOpen: false });
    t.clock.advance(1_000);
    expect(await queued(t, 'session-2', 'bob')).toEqual({ position: 2, alreadyOpen: false });

    for (const tab of ['alice-1', 'alice-2']) {
      expect(t.framesTo(tab)).toContainEqual(
        expect.objectContaining({ type: 'handoff', status: 'queued', position: 1, sessionId: 'session-1' }),
      );
    }
    expect(t.framesTo('bob-1').at(-1)).toMatchObject({
      status: 'queued',
      position: 2,
      sessionId: 'session-2',
    });
    expect(t.framesTo('bob-1').some((frame) => 'sessionId' in frame && frame.sessionId === 'session-1')).toBe(
      false,
    );
    expect(t.observed).toEqual(['queued user_request', 'queued user_request']);
  });

  it('keeps a session already handed off where it is in line', async () => {
    const t = setup();
    await queued(t);
    expect(await queued(t)).toEqual({ position: 1, alreadyOpen: true });
    expect(await t.queue.list()).toHaveLength(1);
  });

  it('pushes the queue live to every agent connection, and moves the next user up once one is claimed', async () => {
    const t = setup();
    await t.registry.add({ connectionId: 'agent-1', userId: 'carol', agent: true });
    await t.registry.add({ connectionId: 'bob-1', userId: 'bob', agent: false });
    await queued(t, 'session-1', 'alice');
    t.clock.advance(5_000);
    await queued(t, 'session-2', 'bob');
    expect(t.framesTo('agent-1').at(-1)).toMatchObject({ type: 'handoffs', handoffs: [{}, {}] });
    // Asked for, the queue also says who is asking (a push, the same for every agent, does not).
    const listed = createRecordingReply();
    await listHandoffs(t.deps, { userId: 'carol', groups: AGENTS, reply: listed });
    expect(listed.frames[0]).toMatchObject({ type: 'handoffs', agentId: 'carol', handoffs: [{}, {}] });
    expect(t.framesTo('agent-1').at(-1)).not.toHaveProperty('agentId');

    t.clock.advance(2_000);
    const reply = createRecordingReply();
    await claimHandoff(t.deps, { sessionId: 'session-1', userId: 'carol', groups: AGENTS, reply });

    expect(reply.frames[0]).toMatchObject({
      type: 'transcript',
      handoff: { status: 'claimed', agentId: 'carol', summary: 'wants a person' },
      messages: [
        { role: 'user', text: 'earlier' },
        { role: 'assistant', text: 'reply' },
      ],
    });
    expect(t.framesTo('bob-1').at(-1)).toMatchObject({
      status: 'queued',
      position: 1,
      sessionId: 'session-2',
    });
    expect(t.observed).toContain('claimed after 7000');
  });

  it('lets one agent at a time claim a conversation, with a typed error for the second', async () => {
    const t = setup();
    await queued(t);
    await claimedByCarol(t);

    await expect(
      claimHandoff(t.deps, {
        sessionId: 'session-1',
        userId: 'dave',
        groups: AGENTS,
        reply: createRecordingReply(),
      }),
    ).rejects.toMatchObject({ code: 'HANDOFF_ALREADY_CLAIMED', agentId: 'carol' });
    await expect(
      sendAgentMessage(t.deps, {
        sessionId: 'session-1',
        message: 'hi',
        userId: 'dave',
        groups: AGENTS,
        reply: createRecordingReply(),
      }),
    ).rejects.toMatchObject({ code: 'HANDOFF_ALREADY_CLAIMED' });
    await expect(
      releaseHandoff(t.deps, { sessionId: 'session-1', userId: 'dave', groups: AGENTS }),
    ).rejects.toMatchObject({
      code: 'HANDOFF_ALREADY_CLAIMED',
    });
    // Claiming again what one has is a reloaded console: the transcript again, no second claim event.
    const again = createRecordingReply();
    await claimHandoff(t.deps, { sessionId: 'session-1', userId: 'carol', groups: AGENTS, reply: again });
    expect(again.frames[0]).toMatchObject({ type: 'transcript' });
    expect(
      (await t.queue.find('session-1'))?.events.filter((event) => event.kind === 'claimed'),
    ).toHaveLength(1);
  });

  it('refuses every agent action to anyone outside the agents group, and a reply before the claim', async () => {
    const t = setup();
    await queued(t);
    const reply = createRecordingReply();
    for (const action of [
      () => listHandoffs(t.deps, { userId: 'alice', groups: ['admins'], reply }),
      () => claimHandoff(t.deps, { sessionId: 'session-1', userId: 'alice', groups: [], reply }),
      () =>
        sendAgentMessage(t.deps, {
          sessionId: 'session-1',
          message: 'x',
          userId: 'alice',
          groups: [],
          reply,
        }),
      () => releaseHandoff(t.deps, { sessionId: 'session-1', userId: 'alice', groups: [] }),
      () => listHandoffs(t.deps, { userId: undefined, groups: AGENTS, reply }),
    ]) {
      await expect(action()).rejects.toMatchObject({ code: 'FORBIDDEN', name: 'NotAnAgentError' });
    }
    await expect(
      sendAgentMessage(t.deps, {
        sessionId: 'session-1',
        message: 'x',
        userId: 'carol',
        groups: AGENTS,
        reply,
      }),
    ).rejects.toMatchObject({ code: 'HANDOFF_NOT_FOUND' });
    expect(reply.frames).toEqual([]);
  });

  it('relays the user’s words to the agent who has the conversation, and the agent’s to every tab of the user', async () => {
    const t = setup();
    await t.registry.add({ connectionId: 'alice-1', userId: 'alice', agent: false });
    await t.registry.add({ connectionId: 'alice-2', userId: 'alice', agent: false });
    await t.registry.add({ connectionId: 'carol-1', userId: 'carol', agent: true });
    await queued(t);
    await claimedByCarol(t);

    const userReply = createRecordingReply();
    const open = await t.queue.find('session-1');
    if (!open) throw new Error('no handoff');
    expect(
      await relayUserMessage(t.deps, open, {
        userId: 'alice',
        message: 'still there?',
        turnId: 't-1',
        reply: userReply,
      }),
    ).toBe(true);
    expect(userReply.frames).toEqual([
      expect.objectContaining({ type: 'handoff', status: 'claimed', turnId: 't-1' }),
    ]);
    expect(t.framesTo('carol-1').at(-1)).toMatchObject({
      type: 'userMessage',
      message: 'still there?',
      userId: 'alice',
    });

    const agentReply = createRecordingReply();
    await sendAgentMessage(t.deps, {
      sessionId: 'session-1',
      message: 'yes',
      userId: 'carol',
      groups: AGENTS,
      reply: agentReply,
    });
    for (const tab of ['alice-1', 'alice-2']) {
      expect(t.framesTo(tab).at(-1)).toMatchObject({ type: 'agent', agentId: 'carol', message: 'yes' });
    }
    expect(agentReply.frames).toEqual([expect.objectContaining({ type: 'agent', message: 'yes' })]);
  });

  it('refuses a stranger’s message to a handed-off conversation, and their cancel', async () => {
    const t = setup();
    await queued(t);
    const open = await t.queue.find('session-1');
    if (!open) throw new Error('no handoff');
    await expect(
      relayUserMessage(t.deps, open, {
        userId: 'mallory',
        message: 'hi',
        turnId: 't',
        reply: createRecordingReply(),
      }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(cancelHandoff(t.deps, { sessionId: 'session-1', userId: 'mallory' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect((await t.queue.find('session-1'))?.events).toHaveLength(1);
  });

  it('on release, records what was said in the session, so the assistant sees it, and archives every event', async () => {
    const t = setup();
    await t.registry.add({ connectionId: 'alice-1', userId: 'alice', agent: false });
    await queued(t);
    await claimedByCarol(t);
    const open = await t.queue.find('session-1');
    if (!open) throw new Error('no handoff');
    await relayUserMessage(t.deps, open, {
      userId: 'alice',
      message: 'my bill',
      turnId: 't',
      reply: createRecordingReply(),
    });
    await sendAgentMessage(t.deps, {
      sessionId: 'session-1',
      message: 'fixed it',
      userId: 'carol',
      groups: AGENTS,
      reply: createRecordingReply(),
    });
    t.clock.advance(60_000);
    await releaseHandoff(t.deps, { sessionId: 'session-1', userId: 'carol', groups: AGENTS });

    const session = await t.sessions.load('session-1');
    expect(session?.messages.slice(-2)).toEqual([
      { role: 'user', content: [{ text: 'my bill' }], turnId: expect.stringMatching(/^handoff-/) },
      { role: 'assistant', content: [{ text: 'A person from support (carol) answered:\n\nfixed it' }] },
    ]);
    expect(await t.queue.find('session-1')).toBeUndefined();
    expect(t.queue.archive[0]?.events.map((event) => `${event.kind} ${event.by}`)).toEqual([
      'queued alice',
      'claimed carol',
      'userMessage alice',
      'agentMessage carol',
      'released carol',
    ]);
    expect(t.framesTo('alice-1').at(-1)).toMatchObject({
      type: 'handoff',
      status: 'released',
      agentId: 'carol',
    });
    expect(t.observed.at(-1)).toBe('released after 60000');
  });

  it('refuses the message that would pass the handoff’s bound, to the agent and to the user, keeping all before it', async () => {
    const t = setup();
    await t.registry.add({ connectionId: 'alice-1', userId: 'alice', agent: false });
    await queued(t);
    await claimedByCarol(t);
    const words = 'w'.repeat(15_000);
    const say = (message: string) =>
      sendAgentMessage(t.deps, {
        sessionId: 'session-1',
        message,
        userId: 'carol',
        groups: AGENTS,
        reply: createRecordingReply(),
      });
    let sent = 0;
    while (fitsHandoff((await t.queue.find('session-1'))?.events ?? [], agentWords(words))) {
      await say(words);
      sent++;
    }
    expect(sent).toBe(4);
    const before = await t.queue.find('session-1');
    const pushed = t.framesTo('alice-1').length;

    await expect(say(words)).rejects.toMatchObject({ code: 'HANDOFF_TOO_LONG', name: 'HandoffTooLongError' });
    const reply = createRecordingReply();
    await expect(
      relayUserMessage(t.deps, before as StoredHandoff, {
        userId: 'alice',
        message: words,
        turnId: 't-full',
        reply,
      }),
    ).rejects.toMatchObject({ code: 'HANDOFF_TOO_LONG' });
    // Nothing of the refused messages was stored or sent; everything before them is there.
    expect(await t.queue.find('session-1')).toEqual(before);
    expect(t.framesTo('alice-1')).toHaveLength(pushed);
    expect(reply.frames).toEqual([]);
    // A short one still fits, and the whole conversation folds into one turn a session can store.
    await say('ok');
    await releaseHandoff(t.deps, { sessionId: 'session-1', userId: 'carol', groups: AGENTS });
    const folded = (await t.sessions.load('session-1'))?.messages.slice(-2) ?? [];
    expect(folded[1]?.content[0]).toMatchObject({ text: expect.stringMatching(/ok$/) });
    expect(jsonBytes(folded)).toBeLessThan(TURN_BYTES);
    expect(t.queue.archive[0]?.events.filter((event) => event.kind === 'agentMessage')).toHaveLength(5);
  });

  it('lets the user cancel while queued, writing nothing to the session when nobody said anything', async () => {
    const t = setup();
    await queued(t);
    const before = await t.sessions.load('session-1');
    await cancelHandoff(t.deps, { sessionId: 'session-1', userId: 'alice' });
    expect(await t.sessions.load('session-1')).toEqual(before);
    expect(await t.queue.list()).toEqual([]);
    await expect(cancelHandoff(t.deps, { sessionId: 'session-1', userId: 'alice' })).rejects.toMatchObject({
      code: 'HANDOFF_NOT_FOUND',
    });
  });

  it('drops a connection that is gone from the registry, and still reaches the others', async () => {
    const t = setup();
    await t.registry.add({ connectionId: 'alice-1', userId: 'alice', agent: false });
    await t.registry.add({ connectionId: 'alice-old', userId: 'alice', agent: false });
    t.gone.add('alice-old');
    await queued(t);
    expect([...t.registry.connections.keys()]).toEqual(['alice-1']);
    expect(t.framesTo('alice-1')).toHaveLength(1);
  });
});
