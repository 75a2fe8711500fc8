import { useEffect, useEffectEvent, useRef, useState } from 'react';
import {
  type AttachmentFormat,
  attachmentProblem,
  formatOfFileName,
  MAX_ATTACHMENTS_PER_MESSAGE,
} from '../../../src/protocol/attachments.ts';
import type { ErrorFrame, UploadFrame } from '../../../src/protocol/server-frame.ts';
import type { SentAttachment, UploadChannel } from '../chat/use-chat.ts';

/** One file picked for the next question, from the moment it is picked until the question is sent. */
export interface AttachmentDraft {
  /** The uploadId of its `createUpload`. */
  id: string;
  name: string;
  size: number;
  format: AttachmentFormat;
  status: 'uploading' | 'ready';
  key?: string;
}

export interface Attachments {
  drafts: AttachmentDraft[];
  /** Why files were refused (too big, wrong type, upload failed), one line each, until the next pick. */
  errors: string[];
  /** Checks each file, then uploads the good ones (presigned POST, straight to the bucket). */
  add(files: Iterable<File>): void;
  remove(id: string): void;
  /** Forgets every file (after sending, or for a new chat). */
  clear(): void;
  dismissErrors(): void;
  /** Files are still uploading: the question must wait. */
  pending: boolean;
  /** The uploaded files, as the question names them. */
  ready(): SentAttachment[];
}

/** How long an upload may take, from asking for the presigned POST to S3's answer. */
const UPLOAD_TIMEOUT_MS = 60_000;

/**
 * The files attached to the question being written. Each is checked against Bedrock's limits before anything
 * is sent (a clear message instead of an upload), then uploaded with the presigned POST that `createUpload`
 * returns: the bytes go to S3, never through the WebSocket. `fetchUpload` is injectable for tests.
 */
export function useAttachments(
  channel: UploadChannel,
  sessionId: string,
  fetchUpload: typeof fetch = (input, init) => fetch(input, init),
): Attachments {
  const [drafts, setDrafts] = useState<AttachmentDraft[]>([]);
  const [errors, setErrors] = useState<string[]>([]);
  const files = useRef(new Map<string, File>());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const fail = (id: string, message: string) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    files.current.delete(id);
    setDrafts((current) => current.filter((draft) => draft.id !== id));
    setErrors((current) => [...current, message]);
  };

  const onFrame = useEffectEvent((frame: UploadFrame | ErrorFrame) => {
    const id = frame.uploadId;
    const file = id === undefined ? undefined : files.current.get(id);
    if (!id || !file) return;
    if (frame.type === 'error') return fail(id, frame.message);
    void post(frame, file, fetchUpload).then(
      () => {
        clearTimeout(timers.current.get(id));
        timers.current.delete(id);
        files.current.delete(id);
        setDrafts((current) =>
          current.map((draft) => (draft.id === id ? { ...draft, status: 'ready', key: frame.key } : draft)),
        );
      },
      (error: unknown) =>
        fail(id, `${file.name} could not be uploaded: ${String((error as Error).message ?? error)}`),
    );
  });
  useEffect(() => channel.listen((frame) => onFrame(frame)), [channel.listen]);

  const clear = () => {
    for (const timer of timers.current.values()) clearTimeout(timer);
    timers.current.clear();
    files.current.clear();
    setDrafts([]);
    setErrors([]);
  };
  // Uploads belong to one chat (their keys name it): a new chat starts without them.
  // biome-ignore lint/correctness/useExhaustiveDependencies: clears on a session change only
  useEffect(() => clear(), [sessionId]);

  return {
    drafts,
    errors,
    pending: drafts.some((draft) => draft.status === 'uploading'),
    add(picked) {
      const problems: string[] = [];
      const added: AttachmentDraft[] = [];
      for (const file of picked) {
        const format = formatOfFileName(file.name);
        const problem = attachmentProblem(file);
        if (problem || !format) {
          problems.push(problem ?? `${file.name}: unsupported file.`);
          continue;
        }
        if (drafts.length + added.length >= MAX_ATTACHMENTS_PER_MESSAGE) {
          problems.push(`${file.name}: at most ${MAX_ATTACHMENTS_PER_MESSAGE} files per message.`);
          continue;
        }
        const id = crypto.randomUUID();
        if (!channel.request({ sessionId, uploadId: id, name: file.name, size: file.size })) {
          problems.push(`${file.name}: not connected; attach it again once the chat is connected.`);
          continue;
        }
        files.current.set(id, file);
        timers.current.set(
          id,
          setTimeout(
            () => fail(id, `${file.name} could not be uploaded in time. Attach it again.`),
            UPLOAD_TIMEOUT_MS,
          ),
        );
        added.push({ id, name: file.name, size: file.size, format, status: 'uploading' });
      }
      setErrors(problems);
      if (added.length) setDrafts((current) => [...current, ...added]);
    },
    remove(id) {
      clearTimeout(timers.current.get(id));
      timers.current.delete(id);
      files.current.delete(id);
      setDrafts((current) => current.filter((draft) => draft.id !== id));
    },
    clear,
    dismissErrors: () => setErrors([]),
    ready: () =>
      drafts.flatMap((draft) =>
        draft.status === 'ready' && draft.key
          ? [{ key: draft.key, name: draft.name, format: draft.format, size: draft.size }]
          : [],
      ),
  };
}

/** The browser's side of a presigned POST: every field, then the file last, as multipart/form-data. */
async function post(upload: UploadFrame, file: File, fetchUpload: typeof fetch): Promise<void> {
  const form = new FormData();
  for (const [field, value] of Object.entries(upload.fields)) form.append(field, value);
  form.append('file', file);
  const response = await fetchUpload(upload.url, { method: 'POST', body: form });
  if (!response.ok) {
    // S3 answers a refused POST with an XML error, e.g. EntityTooLarge for a file over the policy's limit.
    const code = /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];
    throw new Error(
      code === 'EntityTooLarge'
        ? 'the file is too large'
        : `the storage answered ${response.status}${code ? ` (${code})` : ''}`,
    );
  }
}
