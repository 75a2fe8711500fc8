import type { SessionDeletedFrame } from '../protocol/server-frame.ts';
import { deleteUploadsOf } from './attachments.ts';
import type { SessionDirectory } from './conversation-ports.ts';
import { ForbiddenError } from './errors.ts';
import type { AttachmentStore, SessionStore } from './ports.ts';

/**
 * Deletes one of the user's sessions and everything stored for it, its uploaded files included. An expired
 * session may still be deleted by its owner; a stranger's is refused before anything is written; an unknown
 * one is already gone (what is left of it, such as the turns of a session whose state was deleted, goes too).
 */
export async function deleteSession(
  deps: { sessions: SessionStore; directory: SessionDirectory; attachments?: AttachmentStore },
  request: { sessionId: string; userId?: string },
): Promise<SessionDeletedFrame> {
  const session = await deps.sessions.load(request.sessionId);
  if (session?.ownerId !== undefined && session.ownerId !== request.userId) throw new ForbiddenError();
  await deps.directory.deleteAll(request.sessionId, request.userId);
  // Then its uploaded files. Should S3 fail, the error says so and a retry finds the session gone and
  // deletes the files again (the bucket's lifecycle rule would expire them in any case).
  if (deps.attachments) await deleteUploadsOf(deps.attachments, request.userId, request.sessionId);
  return { type: 'sessionDeleted', sessionId: request.sessionId };
}
