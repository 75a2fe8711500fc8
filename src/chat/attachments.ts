import {
  ATTACHMENT_FORMATS,
  attachmentProblem,
  formatBytes,
  formatOfFileName,
  maxBytesOf,
} from '../protocol/attachments.ts';
import type { AttachmentReference } from '../protocol/client-frame.ts';
import type { UploadFrame } from '../protocol/server-frame.ts';
import {
  AttachmentForbiddenError,
  AttachmentNotFoundError,
  AttachmentTooLargeError,
  AttachmentUnreadableError,
  AttachmentUnsupportedError,
} from './errors.ts';
import { hasSignatureOf } from './file-signature.ts';
import type { AttachmentBlock } from './messages.ts';
import type { AttachmentStore } from './ports.ts';
import { ANONYMOUS_USER } from './ports.ts';

/**
 * Where a user's uploads for one session live. The key is the proof of ownership: `sendMessage` accepts only
 * keys under the caller's own prefix for that session, so knowing another user's key is worth nothing.
 */
export function uploadPrefixOf(userId: string | undefined, sessionId: string): string {
  return `uploads/${encodeURIComponent(userId ?? ANONYMOUS_USER)}/${sessionId}/`;
}

export interface UploadRequest {
  userId: string | undefined;
  sessionId: string;
  uploadId: string;
  name: string;
  size: number;
}

/**
 * `createUpload`: checks the file against Bedrock's formats and limits, then signs a POST for exactly one key
 * under the caller's prefix, with the format's content type and at most its size limit.
 */
export async function createUpload(store: AttachmentStore, request: UploadRequest): Promise<UploadFrame> {
  const format = formatOfFileName(request.name);
  const problem = attachmentProblem(request);
  if (!format) throw new AttachmentUnsupportedError(problem ?? `${request.name}: unsupported file type.`);
  if (problem) throw new AttachmentTooLargeError(problem);
  const key = `${uploadPrefixOf(request.userId, request.sessionId)}${request.uploadId}`;
  const maxBytes = maxBytesOf(format);
  const grant = await store.presignUpload(key, {
    contentType: ATTACHMENT_FORMATS[format].contentType,
    maxBytes,
  });
  return {
    type: 'upload',
    sessionId: request.sessionId,
    uploadId: request.uploadId,
    key,
    format,
    maxBytes,
    ...grant,
  };
}

/**
 * The attachments of a `sendMessage`, checked before the turn starts: each key must be the caller's upload
 * for this session, exist, be within its format's limit and really be a file of that format (its
 * signature). Returns the blocks the question stores. Throws a typed ChatError naming the file.
 */
export async function checkAttachments(
  store: AttachmentStore,
  request: { userId: string | undefined; sessionId: string; attachments: readonly AttachmentReference[] },
): Promise<AttachmentBlock[]> {
  const prefix = uploadPrefixOf(request.userId, request.sessionId);
  for (const { key, name } of request.attachments) {
    if (!key.startsWith(prefix) || key.slice(prefix.length).includes('/')) {
      throw new AttachmentForbiddenError(name);
    }
  }
  return Promise.all(request.attachments.map((reference) => checkOne(store, reference)));
}

async function checkOne(
  store: AttachmentStore,
  { key, name }: AttachmentReference,
): Promise<AttachmentBlock> {
  const format = formatOfFileName(name);
  if (!format) throw new AttachmentUnsupportedError(attachmentProblem({ name, size: 1 }) ?? name);
  const size = await store.sizeOf(key);
  if (size === undefined) throw new AttachmentNotFoundError(name);
  // S3 refuses a larger POST on AWS; this also holds for any store that does not enforce the policy.
  const limit = maxBytesOf(format);
  if (size > limit) {
    throw new AttachmentTooLargeError(`${name} is ${formatBytes(size)}; the limit is ${formatBytes(limit)}.`);
  }
  const bytes = await store.read(key);
  if (!bytes) throw new AttachmentNotFoundError(name);
  if (bytes.byteLength === 0 || !hasSignatureOf(format, bytes)) {
    throw new AttachmentUnreadableError(
      `${name} could not be read as a ${format.toUpperCase()} file. It may be damaged or have the wrong extension.`,
    );
  }
  return { attachment: { key, name, format, size: bytes.byteLength } };
}

/** Deletes every upload of one chat (all of its owner's files for it); returns how many objects went. */
export function deleteUploadsOf(
  store: AttachmentStore,
  userId: string | undefined,
  sessionId: string,
): Promise<number> {
  return store.deleteAll(uploadPrefixOf(userId, sessionId));
}
