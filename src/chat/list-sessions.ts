import type { SessionsFrame } from '../protocol/server-frame.ts';
import { ANONYMOUS_OWNER_KEY, type SessionDirectory } from './conversation-ports.ts';
import type { Clock } from './ports.ts';

/** Sessions per `sessions` frame: a sidebar's worth, and far below API Gateway's message limit. */
export const SESSIONS_PAGE_SIZE = 20;

/** One page of the user's conversations, newest activity first; expired ones are left out. */
export async function listSessions(
  deps: { directory: SessionDirectory; clock: Clock },
  request: { userId?: string; cursor?: string; query?: string },
): Promise<SessionsFrame> {
  const query = request.query?.trim().toLowerCase() || undefined;
  const page = await deps.directory.list(request.userId ?? ANONYMOUS_OWNER_KEY, {
    cursor: request.cursor,
    query,
    limit: SESSIONS_PAGE_SIZE,
    nowMs: deps.clock.now(),
  });
  return {
    type: 'sessions',
    sessionId: null,
    sessions: page.sessions,
    ...(page.cursor ? { cursor: page.cursor } : {}),
    ...(request.query !== undefined ? { query: request.query } : {}),
  };
}
