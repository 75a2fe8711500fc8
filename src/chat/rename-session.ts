import type { SessionUpdatedFrame } from '../protocol/server-frame.ts';
import type { SessionDirectory } from './conversation-ports.ts';
import { SessionExpiredError } from './errors.ts';
import type { Clock, SessionStore } from './ports.ts';
import { assertUsable } from './session.ts';

/** Renames one of the user's sessions; a stranger's is refused (FORBIDDEN), an unknown one is expired. */
export async function renameSession(
  deps: { sessions: SessionStore; directory: SessionDirectory; clock: Clock },
  request: { sessionId: string; userId?: string; title: string },
): Promise<SessionUpdatedFrame> {
  const session = await deps.sessions.load(request.sessionId);
  if (!session) throw new SessionExpiredError();
  assertUsable(session, request.userId, deps.clock.now());
  const title = normalizeTitle(request.title);
  // The write is conditional on the owner too: the check above and the write cannot be split by a race.
  if (!(await deps.directory.setTitle(request.sessionId, session.ownerId, title))) {
    throw new SessionExpiredError();
  }
  return { type: 'sessionUpdated', sessionId: request.sessionId, title };
}

/** One line, no surrounding quotes or spaces: how a title is stored, whoever wrote it. */
export function normalizeTitle(title: string, maxChars = 120): string {
  const line = title
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["'“”‘’]+|["'“”‘’.]+$/g, '')
    .trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1).trimEnd()}…` : line;
}
