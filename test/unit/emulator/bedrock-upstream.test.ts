import { afterAll, describe, expect, it } from 'vitest';
import { createBedrockForwarder } from '../../../emulator/bedrock-upstream.ts';
import { decodeFrames } from '../../../emulator/event-stream.ts';
import { type EmulatorServer, startEmulatorServer } from '../../../emulator/server.ts';
import { OFFLINE_TARGET } from '../../../recorder/scenario-runner.ts';
import { type FakeUpstream, startFakeUpstream } from './support/fake-upstream.ts';
import { createTestEmulator, SIGNED_HEADERS } from './support/test-emulator.ts';

const servers: Array<EmulatorServer | FakeUpstream> = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

const developer = async () => ({ accessKeyId: 'DEVELOPERKEY', secretAccessKey: 'developer-secret' });
/** A request as the local stack's handlers send it: to the local endpoint, signed with the dummy keys. */
const fromLocalStack = (path: string, body: unknown) =>
  new Request(`http://127.0.0.1:4010${path}`, {
    method: 'POST',
    headers: { ...SIGNED_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('createBedrockForwarder (npm run dev -- --bedrock aws)', () => {
  it('re-signs each call as the developer, in their region, and sends Retrieve to their knowledge base', async () => {
    const upstream = await startFakeUpstream(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      chunks: [new TextEncoder().encode('{"retrievalResults":[]}')],
    }));
    servers.push(upstream);
    const forward = createBedrockForwarder({
      region: 'us-west-2',
      credentials: developer,
      endpoint: upstream.url,
      knowledgeBaseId: 'REALKB0001',
    });

    const response = await forward(
      fromLocalStack(`/knowledgebases/${OFFLINE_TARGET.knowledgeBaseId}/retrieve`, {
        retrievalQuery: { text: 'x' },
      }),
    );

    expect(await response.json()).toEqual({ retrievalResults: [] });
    const [sent] = upstream.requests;
    expect(sent?.path).toBe('/knowledgebases/REALKB0001/retrieve');
    expect(sent?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=DEVELOPERKEY\/\d{8}\/us-west-2\/bedrock\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/,
    );
    expect(sent?.headers.authorization).not.toContain('Credential=local');
    expect(JSON.parse(sent?.body ?? '')).toEqual({ retrievalQuery: { text: 'x' } });
  });

  it('streams a ConverseStream answer back from the upstream as it arrives (a second emulator stands in for AWS)', async () => {
    const upstream = await startEmulatorServer({ emulator: createTestEmulator({ mode: 'scripted' }) });
    servers.push(upstream);
    const forward = createBedrockForwarder({
      region: 'us-east-1',
      credentials: developer,
      endpoint: upstream.url,
    });

    const response = await forward(
      fromLocalStack(`/model/${encodeURIComponent(OFFLINE_TARGET.modelId)}/converse-stream`, {
        messages: [{ role: 'user', content: [{ text: 'Hello there' }] }],
      }),
    );
    const frames = decodeFrames(new Uint8Array(await response.arrayBuffer()));

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.amazon.eventstream');
    expect(frames.map(({ headers }) => headers[':event-type']).at(-1)).toBe('metadata');
  });
});
