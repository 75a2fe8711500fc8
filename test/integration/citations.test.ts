import { readdirSync } from 'node:fs';
import { BedrockAgentRuntimeClient, RetrieveCommand } from '@aws-sdk/client-bedrock-agent-runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { fixturePaths } from '../../emulator/repository-paths.ts';
import type { DoneFrame, HistoryFrame, Source, SourcesFrame } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { uniqueMarker } from '../support/emulator-calls.ts';

const stack = inject('stack');

/** The documents of the local knowledge base, as the emulator's Retrieve names them. */
const localDocuments = readdirSync(fixturePaths().knowledgeBase)
  .filter((file) => file.endsWith('.md'))
  .map((file) => `s3://local-knowledge-base/${file}`);

/** What Retrieve returns for `query`, asked independently of the chat with the real SDK client. */
async function chunkIdsRetrievedFor(query: string): Promise<string[]> {
  const client = new BedrockAgentRuntimeClient({
    region: stack.region,
    endpoint: stack.emulatorUrl,
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { retrievalResults = [] } = await client.send(
    new RetrieveCommand({
      knowledgeBaseId: 'LOCALKB001',
      retrievalQuery: { text: query },
      retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 5 } },
    }),
  );
  client.destroy();
  return retrievalResults.map((result) => String(result.metadata?.['x-amz-bedrock-kb-chunk-id']));
}

describe('answers that cite their sources, over the offline stack', () => {
  let socket: ChatSocket;
  beforeAll(async () => {
    socket = await openChat(stack);
  });
  afterAll(() => socket.close());

  it('sends a sources frame of local knowledge-base documents retrieved in the turn, and getHistory returns them', async () => {
    const sessionId = crypto.randomUUID();
    const question = 'How do I reset my password?';

    const { frames, text, end } = await socket.turn(sessionId, `${question} ${uniqueMarker('cite')}`);

    expect(end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
    const sourcesFrames = frames.filter((frame): frame is SourcesFrame => frame.type === 'sources');
    expect(sourcesFrames).toHaveLength(1);
    const [{ sources, seq }] = sourcesFrames as [SourcesFrame];
    expect(seq).toBe((end as DoneFrame).seq - 1);
    expect(sources.length).toBeGreaterThan(0);
    expect((end as DoneFrame).sources).toEqual(sources);

    // Every citation in the text is a source, and every source is cited.
    const cited = [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
    expect([...new Set(cited)].sort()).toEqual(sources.map((source) => source.n));
    for (const source of sources) {
      expect(localDocuments).toContain(source.uri);
      expect(source).toMatchObject({
        title: expect.any(String),
        snippet: expect.any(String),
        score: expect.any(Number),
      });
    }
    // The passages were retrieved for this question (the scripted model searches with the question itself).
    const retrieved = await chunkIdsRetrievedFor(question);
    for (const source of sources) expect(retrieved).toContain(source.passageId);
    expect(sources.find((source) => source.uri.endsWith('/account-security.md'))).toBeDefined();

    socket.send({ action: 'getHistory', sessionId });
    const history = (await socket.waitFor(
      (frame) => frame.type === 'history' && frame.sessionId === sessionId,
    )) as HistoryFrame;
    expect(history.messages.at(-1)).toMatchObject({ role: 'assistant', tools: ['kb_lookup'], sources });
  });

  it('drops a citation of a passage the turn never retrieved: not in the sources, not in history', async () => {
    const sessionId = crypto.randomUUID();

    const { text, end } = await socket.turn(
      sessionId,
      `How do I reset my password? #cite:42 ${uniqueMarker('invented')}`,
    );

    expect(text).toContain('[42]');
    const sources = (end as DoneFrame).sources as Source[];
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.map((source) => source.n)).not.toContain(42);
    socket.send({ action: 'getHistory', sessionId });
    const history = (await socket.waitFor(
      (frame) => frame.type === 'history' && frame.sessionId === sessionId,
    )) as HistoryFrame;
    expect(history.messages.at(-1)?.sources?.map((source) => source.n)).toEqual(
      sources.map((source) => source.n),
    );
  });

  it('replays the same sources to a retry of the turn id (done.replayed), and no other model call', async () => {
    const sessionId = crypto.randomUUID();
    const turnId = crypto.randomUUID();
    const question = `How do I reset my password? ${uniqueMarker('cite-retry')}`;

    const first = await socket.turn(sessionId, question, { turnId });
    const retry = await socket.turn(sessionId, question, { turnId });

    const sources = (first.end as DoneFrame).sources as Source[];
    expect(sources.length).toBeGreaterThan(0);
    expect(retry.end).toMatchObject({ type: 'done', replayed: true, modelCalls: 0, sources });
    expect(retry.text).toBe(first.text);
    expect(retry.frames.filter((frame) => frame.type === 'sources')).toEqual([
      expect.objectContaining({ sources }),
    ]);
  });

  it('answers without sources when the knowledge base is not consulted', async () => {
    const { frames, end } = await socket.turn(crypto.randomUUID(), `Hello there ${uniqueMarker('plain')}`);
    expect(end).toMatchObject({ type: 'done' });
    expect(frames.map((frame) => frame.type)).not.toContain('sources');
    expect(end).not.toHaveProperty('sources');
  });
});
