import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, inject, it } from 'vitest';
import { LOCAL_CREDENTIALS } from '../../local/s3-local.ts';
import { createS3AttachmentStore } from '../../src/adapters/s3/attachment-store.ts';
import { deleteUploadsOf } from '../../src/chat/attachments.ts';
import { systemClock } from '../../src/chat/ports.ts';
import type { ErrorFrame, HistoryFrame, ServerFrame, UploadFrame } from '../../src/protocol/server-frame.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { TINY_PDF, TINY_PNG } from '../support/sample-files.ts';
import { readSessionItem } from '../support/sessions.ts';

const stack = inject('stack');

/** Asks for a presigned POST over the socket; the `upload` frame, or the `error` frame that answers. */
async function createUpload(
  chat: ChatSocket,
  sessionId: string,
  name: string,
  size: number,
): Promise<UploadFrame | ErrorFrame> {
  const uploadId = crypto.randomUUID();
  const fromIndex = chat.frames.length;
  chat.send({ action: 'createUpload', sessionId, uploadId, name, size });
  return (await chat.waitFor(
    (frame) => (frame.type === 'upload' || frame.type === 'error') && frame.uploadId === uploadId,
    { fromIndex, timeoutMs: 20_000 },
  )) as UploadFrame | ErrorFrame;
}

/** What a browser does with the presigned POST: every field, then the file, as multipart/form-data. */
async function post(upload: UploadFrame, bytes: Uint8Array, contentType: string): Promise<Response> {
  const form = new FormData();
  for (const [field, value] of Object.entries(upload.fields)) form.append(field, value);
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }));
  return fetch(upload.url, { method: 'POST', body: form });
}

async function uploaded(chat: ChatSocket, sessionId: string, name: string, bytes: Uint8Array, type: string) {
  const upload = await createUpload(chat, sessionId, name, bytes.byteLength);
  if (upload.type !== 'upload') throw new Error(`createUpload refused: ${upload.message}`);
  const response = await post(upload, bytes, type);
  expect(response.status, await response.clone().text()).toBe(204);
  return { key: upload.key, name };
}

/** Sends a question with attachments; its `done` or `error` frame and the streamed text. */
async function ask(chat: ChatSocket, sessionId: string, message: string, attachments: unknown[]) {
  const turnId = crypto.randomUUID();
  const fromIndex = chat.frames.length;
  chat.send({ action: 'sendMessage', sessionId, turnId, message, attachments });
  const end = await chat.waitFor(
    (frame) =>
      (frame.type === 'done' || frame.type === 'error') && 'turnId' in frame && frame.turnId === turnId,
    { fromIndex, timeoutMs: 30_000 },
  );
  const text = chat.frames
    .slice(fromIndex)
    .filter(
      (frame): frame is Extract<ServerFrame, { type: 'token' }> =>
        frame.type === 'token' && frame.turnId === turnId,
    )
    .sort((a, b) => a.seq - b.seq)
    .map((frame) => frame.value)
    .join('');
  return { end, text };
}

describe('attachments over the real stack (presigned POST to the local S3 server)', () => {
  it('uploads an image and a PDF with presigned POSTs, and the answer names both', async () => {
    const chat = await openChat(stack, `alice-${crypto.randomUUID()}`);
    const sessionId = crypto.randomUUID();
    try {
      const image = await uploaded(chat, sessionId, 'cat.png', TINY_PNG, 'image/png');
      const pdf = await uploaded(chat, sessionId, 'Q3 report.pdf', TINY_PDF, 'application/pdf');
      const { end, text } = await ask(chat, sessionId, 'What is in these files?', [image, pdf]);
      expect(end.type).toBe('done');
      expect(text).toContain(`**cat.png** (image, PNG, ${TINY_PNG.byteLength} bytes)`);
      expect(text).toContain(`**Q3 report** (document, PDF, ${TINY_PDF.byteLength} bytes)`);

      // The session stores references, never the bytes; history shows the files on the question.
      const item = await readSessionItem(stack, sessionId);
      expect(JSON.stringify(item?.messages[0])).toContain(image.key);
      expect(JSON.stringify(item).length).toBeLessThan(4_000);
      const fromIndex = chat.frames.length;
      chat.send({ action: 'getHistory', sessionId });
      const history = (await chat.waitFor((frame) => frame.type === 'history', {
        fromIndex,
      })) as HistoryFrame;
      expect(history.messages[0]).toEqual({
        role: 'user',
        text: 'What is in these files?',
        turnId: end.type === 'done' ? end.turnId : 'no turn',
        attachments: [
          { name: 'cat.png', format: 'png', size: TINY_PNG.byteLength },
          { name: 'Q3 report.pdf', format: 'pdf', size: TINY_PDF.byteLength },
        ],
      });

      // The next turn still sends the files to the model (the emulator would refuse a malformed block).
      const next = await ask(chat, sessionId, 'Thanks!', []);
      expect(next.end.type).toBe('done');
    } finally {
      await chat.close();
    }
  });

  it('refuses an oversize file before signing, and an oversize upload when it is sent', async () => {
    const chat = await openChat(stack);
    const sessionId = crypto.randomUUID();
    try {
      const refused = await createUpload(chat, sessionId, 'huge.pdf', 5 * 1024 * 1024);
      expect(refused).toMatchObject({
        type: 'error',
        code: 'ATTACHMENT_TOO_LARGE',
        message: 'huge.pdf is 5 MB, over the 4.5 MB limit for documents.',
      });

      // Declared small, posted large: S3 refuses it by the policy's content-length-range; the local server
      // does not check policies, so sendMessage's own size check is what refuses it here.
      const upload = await createUpload(chat, sessionId, 'sneaky.txt', 10);
      if (upload.type !== 'upload') throw new Error(upload.message);
      await post(upload, new Uint8Array(upload.maxBytes + 1).fill(0x61), 'text/plain');
      const { end } = await ask(chat, sessionId, 'Read this', [{ key: upload.key, name: 'sneaky.txt' }]);
      expect(end).toMatchObject({ type: 'error', code: 'ATTACHMENT_TOO_LARGE' });
      expect(await readSessionItem(stack, sessionId)).toBeUndefined();
    } finally {
      await chat.close();
    }
  });

  it('refuses another user’s upload, and a file that is not what its name says', async () => {
    const alice = await openChat(stack, `alice-${crypto.randomUUID()}`);
    const mallory = await openChat(stack, `mallory-${crypto.randomUUID()}`);
    const aliceSession = crypto.randomUUID();
    try {
      const secret = await uploaded(alice, aliceSession, 'secret.png', TINY_PNG, 'image/png');
      // In Mallory's own chat, and in Alice's chat whose id she learnt: never Alice's file.
      for (const sessionId of [crypto.randomUUID(), aliceSession]) {
        const { end } = await ask(mallory, sessionId, 'What is this?', [secret]);
        expect(end).toMatchObject({ type: 'error', code: 'FORBIDDEN' });
      }
      expect(await readSessionItem(stack, aliceSession)).toBeUndefined();

      const fake = await uploaded(
        alice,
        aliceSession,
        'photo.png',
        new TextEncoder().encode('not a png'),
        'image/png',
      );
      const { end } = await ask(alice, aliceSession, 'Look', [fake]);
      expect(end).toMatchObject({
        type: 'error',
        code: 'ATTACHMENT_UNREADABLE',
        message: 'photo.png could not be read as a PNG file. It may be damaged or have the wrong extension.',
      });
      const missing = await ask(alice, aliceSession, 'Look', [
        {
          key: `${secret.key.slice(0, secret.key.lastIndexOf('/'))}/${crypto.randomUUID()}`,
          name: 'gone.png',
        },
      ]);
      expect(missing.end).toMatchObject({ type: 'error', code: 'ATTACHMENT_NOT_FOUND' });
    } finally {
      await alice.close();
      await mallory.close();
    }
  });

  it('deleteSession deletes every upload of the chat, and nothing of the owner’s other chats', async () => {
    const user = `alice-${crypto.randomUUID()}`;
    const chat = await openChat(stack, user);
    const [doomed, kept] = [crypto.randomUUID(), crypto.randomUUID()];
    try {
      const files = [
        await uploaded(chat, doomed, 'cat.png', TINY_PNG, 'image/png'),
        await uploaded(chat, doomed, 'notes.pdf', TINY_PDF, 'application/pdf'),
      ];
      expect((await ask(chat, doomed, 'What are these?', files)).end.type).toBe('done');
      const other = await uploaded(chat, kept, 'dog.png', TINY_PNG, 'image/png');
      const client = new S3Client({
        region: stack.region,
        endpoint: stack.s3.endpoint,
        forcePathStyle: true,
        credentials: LOCAL_CREDENTIALS,
      });
      const store = createS3AttachmentStore({ client, bucket: stack.s3.bucket, clock: systemClock });
      for (const { key } of files) expect(await store.sizeOf(key)).toBeGreaterThan(0);

      const fromIndex = chat.frames.length;
      chat.send({ action: 'deleteSession', sessionId: doomed });
      await chat.waitFor((frame) => frame.type === 'sessionDeleted' && frame.sessionId === doomed, {
        fromIndex,
        timeoutMs: 20_000,
      });

      for (const { key } of files) expect(await store.sizeOf(key)).toBeUndefined();
      expect(await readSessionItem(stack, doomed)).toBeUndefined();
      expect(await store.sizeOf(other.key)).toBe(TINY_PNG.byteLength);
      // Nothing left to delete: a second pass finds no object.
      expect(await deleteUploadsOf(store, user, doomed)).toBe(0);
    } finally {
      await chat.close();
    }
  });
});
