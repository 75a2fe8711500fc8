import { describe, expect, it } from 'vitest';
import { createMemoryAttachmentStore } from '../../../src/adapters/memory/memory-attachment-store.ts';
import { resolveAttachments, withAttachments } from '../../../src/chat/attachment-model.ts';
import { checkAttachments, createUpload, uploadPrefixOf } from '../../../src/chat/attachments.ts';
import { ChatError } from '../../../src/chat/errors.ts';
import { hasSignatureOf } from '../../../src/chat/file-signature.ts';
import { type AttachmentBlock, type Message, userText } from '../../../src/chat/messages.ts';
import { runTurn } from '../../../src/chat/run-turn.ts';
import { MAX_DOCUMENT_BYTES } from '../../../src/protocol/attachments.ts';
import {
  answer,
  createFakeModel,
  createRecordingReply,
  createTestTurnDependencies,
} from '../../support/fakes.ts';

const sessionId = '7f1c2a34-5b6d-4e8f-9a0b-1c2d3e4f5a6b';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const PDF = new TextEncoder().encode('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n');

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ChatError)) throw new Error(`expected a ChatError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('createUpload', () => {
  it('signs one key under the caller’s prefix for this session, with the format’s type and limit', async () => {
    const store = createMemoryAttachmentStore();
    const frame = await createUpload(store, {
      userId: 'alice',
      sessionId,
      uploadId: '0b6a1e2f-3c4d-4e5f-8a9b-0c1d2e3f4a5b',
      name: 'Report.PDF',
      size: 1000,
    });
    expect(frame).toMatchObject({
      type: 'upload',
      key: `uploads/alice/${sessionId}/0b6a1e2f-3c4d-4e5f-8a9b-0c1d2e3f4a5b`,
      format: 'pdf',
      maxBytes: MAX_DOCUMENT_BYTES,
      fields: { 'Content-Type': 'application/pdf' },
    });
  });

  it('refuses an unsupported type and an oversize file before signing anything', async () => {
    const store = createMemoryAttachmentStore();
    const base = { userId: 'alice', sessionId, uploadId: '0b6a1e2f-3c4d-4e5f-8a9b-0c1d2e3f4a5b' };
    expect(await refusal(createUpload(store, { ...base, name: 'run.sh', size: 10 }))).toMatchObject({
      code: 'ATTACHMENT_UNSUPPORTED',
    });
    expect(await refusal(createUpload(store, { ...base, name: 'big.pdf', size: 5_000_000 }))).toEqual({
      code: 'ATTACHMENT_TOO_LARGE',
      message: 'big.pdf is 4.77 MB, over the 4.5 MB limit for documents.',
    });
  });
});

describe('checkAttachments (sendMessage)', () => {
  const alicePrefix = uploadPrefixOf('alice', sessionId);

  it('returns the blocks to store: key, name, format and the real size', async () => {
    const store = createMemoryAttachmentStore();
    store.put(`${alicePrefix}a`, PNG);
    store.put(`${alicePrefix}b`, PDF);
    const blocks = await checkAttachments(store, {
      userId: 'alice',
      sessionId,
      attachments: [
        { key: `${alicePrefix}a`, name: 'cat.png' },
        { key: `${alicePrefix}b`, name: 'q3.pdf' },
      ],
    });
    expect(blocks).toEqual([
      { attachment: { key: `${alicePrefix}a`, name: 'cat.png', format: 'png', size: PNG.byteLength } },
      { attachment: { key: `${alicePrefix}b`, name: 'q3.pdf', format: 'pdf', size: PDF.byteLength } },
    ]);
  });

  it('refuses another user’s key, and the caller’s own key of another chat, without reading them', async () => {
    const store = createMemoryAttachmentStore();
    const bobKey = `${uploadPrefixOf('bob', sessionId)}x`;
    store.put(bobKey, PNG);
    const otherChat = `${uploadPrefixOf('alice', '11111111-2222-4333-8444-555555555555')}x`;
    store.put(otherChat, PNG);
    for (const key of [bobKey, otherChat, `${alicePrefix}../../bob/${sessionId}/x`]) {
      expect(
        await refusal(
          checkAttachments(store, { userId: 'alice', sessionId, attachments: [{ key, name: 'x.png' }] }),
        ),
      ).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect(store.reads).toEqual([]);
  });

  it('refuses a missing upload, an oversize one and one whose bytes are not its format', async () => {
    const store = createMemoryAttachmentStore();
    store.put(`${alicePrefix}big`, new Uint8Array(MAX_DOCUMENT_BYTES + 1).fill(0x41));
    store.put(`${alicePrefix}fake`, new TextEncoder().encode('not really a png'));
    const check = (key: string, name: string) =>
      refusal(
        checkAttachments(store, {
          userId: 'alice',
          sessionId,
          attachments: [{ key: `${alicePrefix}${key}`, name }],
        }),
      );
    expect(await check('none', 'gone.pdf')).toMatchObject({ code: 'ATTACHMENT_NOT_FOUND' });
    expect(await check('big', 'big.txt')).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE' });
    expect(await check('fake', 'fake.png')).toEqual({
      code: 'ATTACHMENT_UNREADABLE',
      message: 'fake.png could not be read as a PNG file. It may be damaged or have the wrong extension.',
    });
  });
});

describe('file signatures', () => {
  it('tells each format from a renamed file', () => {
    const ascii = (text: string) => new TextEncoder().encode(text);
    expect(hasSignatureOf('png', PNG)).toBe(true);
    expect(hasSignatureOf('jpeg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    expect(hasSignatureOf('gif', ascii('GIF89a...'))).toBe(true);
    expect(hasSignatureOf('webp', ascii('RIFF\0\0\0\0WEBPVP8 '))).toBe(true);
    expect(hasSignatureOf('pdf', PDF)).toBe(true);
    expect(hasSignatureOf('docx', ascii('PK\x03\x04....word/document.xml'))).toBe(true);
    expect(hasSignatureOf('xlsx', ascii('PK\x03\x04....word/document.xml'))).toBe(false);
    expect(hasSignatureOf('csv', ascii('a,b\n1,2\n'))).toBe(true);
    expect(hasSignatureOf('txt', new Uint8Array([0x68, 0xc3]))).toBe(false);
    expect(hasSignatureOf('md', PNG)).toBe(false);
    expect(hasSignatureOf('pdf', PNG)).toBe(false);
  });
});

describe('the model sees attachments as Converse blocks', () => {
  const block = (key: string, name: string, format: 'png' | 'pdf'): AttachmentBlock => ({
    attachment: { key, name, format, size: 1 },
  });

  it('sends images labelled with their name and documents with unique Bedrock-safe names', async () => {
    const store = createMemoryAttachmentStore();
    store.put('k1', PNG);
    store.put('k2', PDF);
    store.put('k3', PDF);
    const messages: Message[] = [
      userText('Compare', [
        block('k1', 'cat.png', 'png'),
        block('k2', 'q3.pdf', 'pdf'),
        block('k3', 'q3.pdf', 'pdf'),
      ]),
    ];
    const [resolved] = await resolveAttachments(messages, store);
    expect(resolved?.content).toEqual([
      { text: '[Image: cat.png]' },
      { image: { format: 'png', source: { bytes: PNG } } },
      { document: { format: 'pdf', name: 'q3', source: { bytes: PDF } } },
      { document: { format: 'pdf', name: 'q3 (2)', source: { bytes: PDF } } },
      { text: 'Compare' },
    ]);
  });

  it('keeps the newest five documents of the conversation and says which files are left out or expired', async () => {
    const store = createMemoryAttachmentStore();
    for (let n = 0; n < 7; n++) store.put(`d${n}`, PDF);
    const messages: Message[] = [];
    for (let n = 0; n < 7; n++) {
      messages.push(userText(`q${n}`, [block(`d${n}`, `doc${n}.pdf`, 'pdf')]), {
        role: 'assistant',
        content: [{ text: 'ok' }],
      });
    }
    messages.push(userText('and this?', [block('gone', 'old.png', 'png')]));
    const resolved = await resolveAttachments(messages, store);
    const documents = resolved.flatMap((m) => m.content.filter((b) => 'document' in b));
    expect(documents).toHaveLength(5);
    expect(resolved[0]?.content[0]).toEqual({
      text: '[Attached file "doc0.pdf" left out: too many files in this chat.]',
    });
    expect(resolved.at(-1)?.content[0]).toEqual({
      text: '[Attached file "old.png" is no longer available.]',
    });
  });

  it('passes a conversation without attachments through untouched, reading nothing', async () => {
    const store = createMemoryAttachmentStore();
    const model = createFakeModel([[{ type: 'stop', stopReason: 'end_turn' }]]);
    const request = { messages: [userText('hi')], tools: [] };
    for await (const _ of withAttachments(model, store).stream(request, new AbortController().signal)) {
      // drain
    }
    expect(model.requests[0]).toEqual(request);
    expect(store.reads).toEqual([]);
  });
});

describe('a turn with attachments (runTurn)', () => {
  const key = `${uploadPrefixOf('alice', sessionId)}0b6a1e2f-3c4d-4e5f-8a9b-0c1d2e3f4a5b`;
  function setup() {
    const attachments = createMemoryAttachmentStore();
    attachments.put(key, PNG);
    const deps = createTestTurnDependencies([answer('A cat.'), answer('never')], { attachments });
    const request = (reply = createRecordingReply()) => ({
      sessionId,
      userId: 'alice',
      connectionId: 'conn-1',
      turnId: 'turn-1',
      message: 'What is this?',
      attachments: [{ key, name: 'cat.png' }],
      reply,
    });
    return { attachments, deps, request };
  }

  it('stores the question with its file references, and a retry of the turn id replays it without re-attaching, even once the upload expired', async () => {
    const { attachments, deps, request } = setup();
    await runTurn(deps, request());
    attachments.delete(key);

    const retry = createRecordingReply();
    const summary = await runTurn(deps, request(retry));

    expect(summary).toMatchObject({ outcome: 'replayed', modelCalls: 0 });
    expect(retry.frames.at(-1)).toMatchObject({ type: 'done', replayed: true });
    expect(deps.model.requests).toHaveLength(1);
    const stored = await deps.sessions.load(sessionId);
    expect(stored).toMatchObject({ version: 1, turns: 1 });
    // The question also carries its token count (decision 25).
    expect(stored?.messages[0]).toEqual({
      role: 'user',
      turnId: 'turn-1',
      tokens: expect.any(Number),
      content: [
        { attachment: { key, name: 'cat.png', format: 'png', size: PNG.byteLength } },
        { text: 'What is this?' },
      ],
    });
  });

  it('refuses a file that is not the caller’s before the model is called, and leaves no claim behind', async () => {
    const { deps, request } = setup();
    const foreign = { ...request(), userId: 'mallory' };

    await expect(runTurn(deps, foreign)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    expect(deps.model.requests).toHaveLength(0);
    expect(await deps.turns.find(sessionId, 'turn-1')).toBeUndefined();
    expect(await deps.sessions.load(sessionId)).toBeUndefined();
  });
});
