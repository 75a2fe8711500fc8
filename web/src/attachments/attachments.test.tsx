import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CreateUploadFrame, SendMessageFrame } from '../../../src/protocol/client-frame.ts';
import { App } from '../App.tsx';
import { createSessionStore } from '../chat/session-store.ts';
import { createFakeSockets, type FakeSocket, historyFrame } from '../testing/fake-socket.ts';

const SESSION = '6f1c2a43-5a55-4a4e-9f43-5d1b1f0c7a10';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
  sessionStorage.clear();
});

async function connectedApp() {
  localStorage.setItem('chat.sessionId', SESSION);
  const sockets = createFakeSockets();
  render(
    <App
      getSocketUrl={async () => 'ws://chat.test'}
      store={createSessionStore(localStorage, sessionStorage)}
      createSocket={sockets.create}
    />,
  );
  const socket = await waitFor(() => {
    const latest = sockets.latest();
    expect(latest.readyState).toBe(0);
    return latest;
  });
  act(() => socket.open());
  act(() => socket.receive(historyFrame(SESSION, [])));
  // A browser's picker can show all files; drag and drop ignores `accept` anyway.
  return { socket, user: userEvent.setup({ applyAccept: false }) };
}

const input = () => screen.getByTestId('attach-input') as HTMLInputElement;
const uploadsAsked = (socket: FakeSocket) =>
  socket.sent.filter((frame): frame is CreateUploadFrame => frame.action === 'createUpload');

/** S3's answer to a presigned POST: 204 and no body. */
function stubStorage() {
  const posts: Array<{ url: string; fields: Record<string, FormDataEntryValue> }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      posts.push({ url, fields: Object.fromEntries((init.body as FormData).entries()) });
      return new Response(null, { status: 204 });
    }),
  );
  return posts;
}

describe('attachments in the web app', { timeout: 30_000 }, () => {
  it('uploads a picked file with the presigned POST, then names it in the question and shows it', async () => {
    const posts = stubStorage();
    const { socket, user } = await connectedApp();
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'cat.png', { type: 'image/png' });
    await user.upload(input(), file);

    const [asked] = uploadsAsked(socket);
    expect(asked).toMatchObject({ sessionId: SESSION, name: 'cat.png', size: 4 });
    const chips = screen.getByRole('list', { name: 'Attached files' });
    expect(within(chips).getByText('uploading…')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);

    const key = `uploads/alice/${SESSION}/${asked?.uploadId}`;
    act(() =>
      socket.receive({
        type: 'upload',
        sessionId: SESSION,
        uploadId: asked?.uploadId as string,
        key,
        url: 'https://uploads.test/bucket',
        fields: { key, 'Content-Type': 'image/png', Policy: 'p' },
        format: 'png',
        maxBytes: 3_932_160,
        expiresAt: Date.now() + 300_000,
      }),
    );
    await waitFor(() => expect(within(chips).getByText('4 bytes')).toBeTruthy());
    expect(posts).toHaveLength(1);
    expect(posts[0]?.url).toBe('https://uploads.test/bucket');
    expect(posts[0]?.fields.key).toBe(key);
    expect(posts[0]?.fields.file).toBeInstanceOf(File);

    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'What is this?{Enter}');
    const sent = socket.sent.at(-1) as SendMessageFrame;
    expect(sent.attachments).toEqual([{ key, name: 'cat.png' }]);
    const question = screen.getByRole('article', { name: 'You' });
    expect(within(question).getByText('cat.png')).toBeTruthy();
    // The tray is empty again for the next question.
    expect(screen.queryByRole('button', { name: 'Remove cat.png' })).toBeNull();
  });

  it('sends the files again with the question’s turn id when a failed question is retried', async () => {
    stubStorage();
    const { socket, user } = await connectedApp();
    await user.upload(input(), new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'cat.png'));
    const uploadId = uploadsAsked(socket)[0]?.uploadId as string;
    const key = `uploads/alice/${SESSION}/${uploadId}`;
    act(() =>
      socket.receive({
        type: 'upload',
        sessionId: SESSION,
        uploadId,
        key,
        url: 'https://uploads.test/bucket',
        fields: { key },
        format: 'png',
        maxBytes: 3_932_160,
        expiresAt: Date.now() + 300_000,
      }),
    );
    await waitFor(() => expect(screen.getByText('4 bytes')).toBeTruthy());
    await user.type(screen.getByRole('textbox', { name: 'Message' }), 'What is this?{Enter}');
    const first = socket.sent.at(-1) as SendMessageFrame;
    act(() =>
      socket.receive({
        type: 'error',
        sessionId: SESSION,
        turnId: first.turnId as string,
        seq: 0,
        code: 'MODEL_THROTTLED',
        message: 'The model is busy right now. Try again in a few seconds.',
        retryable: true,
      }),
    );

    await user.click(screen.getByRole('button', { name: 'Try again' }));

    const again = socket.sent.at(-1) as SendMessageFrame;
    expect(again).toMatchObject({ action: 'sendMessage', message: 'What is this?', turnId: first.turnId });
    expect(again.attachments).toEqual([{ key, name: 'cat.png' }]);
    expect(within(screen.getByRole('article', { name: 'You' })).getByText('cat.png')).toBeTruthy();
  });

  it('refuses a file that is too big or of the wrong type before uploading, with a message', async () => {
    stubStorage();
    const { socket, user } = await connectedApp();
    const big = new File([new Uint8Array(4 * 1024 * 1024)], 'huge.png', { type: 'image/png' });
    const script = new File(['echo'], 'run.sh', { type: 'text/x-sh' });
    await user.upload(input(), [big, script]);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('huge.png is 4 MB, over the 3.75 MB limit for images.');
    expect(alert.textContent).toContain('run.sh: this type of file cannot be attached.');
    expect(uploadsAsked(socket)).toHaveLength(0);
  });

  it('shows the server’s refusal of an upload and removes the file', async () => {
    stubStorage();
    const { socket, user } = await connectedApp();
    await user.upload(input(), new File(['a,b'], 'data.csv', { type: 'text/csv' }));
    const [asked] = uploadsAsked(socket);
    act(() =>
      socket.receive({
        type: 'error',
        sessionId: SESSION,
        uploadId: asked?.uploadId as string,
        code: 'UPLOADS_UNAVAILABLE',
        message: 'Attachments are not available right now. Please try again in a moment.',
        retryable: true,
      }),
    );
    expect(screen.getByRole('alert').textContent).toContain('Attachments are not available right now.');
    expect(screen.queryByText('data.csv')).toBeNull();
  });

  it('lets a picked file be removed before sending', async () => {
    stubStorage();
    const { user } = await connectedApp();
    await user.upload(input(), new File(['# notes'], 'notes.md', { type: 'text/markdown' }));
    await user.click(screen.getByRole('button', { name: 'Remove notes.md' }));
    expect(screen.queryByText('notes.md')).toBeNull();
  });
});
