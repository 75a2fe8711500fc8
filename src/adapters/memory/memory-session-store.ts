import { VersionConflictError } from '../../chat/errors.ts';
import type { SessionStore, StoredSession } from '../../chat/ports.ts';

/**
 * Sessions in a Map, with the same conditions as the DynamoDB store. For unit tests, the recorder and
 * benchmarks; never used by a Lambda handler.
 */
export function createMemorySessionStore(initial: StoredSession[] = []): SessionStore & {
  readonly items: Map<string, StoredSession>;
} {
  const items = new Map(initial.map((session) => [session.sessionId, structuredClone(session)]));
  return {
    items,
    async load(sessionId) {
      const session = items.get(sessionId);
      return session && structuredClone(session);
    },
    async create(session) {
      if (items.has(session.sessionId)) return false;
      items.set(session.sessionId, structuredClone(session));
      return true;
    },
    async save(session, expectedVersion) {
      const current = items.get(session.sessionId)?.version ?? 0;
      if (current !== expectedVersion) throw new VersionConflictError(session.sessionId, expectedVersion);
      items.set(session.sessionId, structuredClone(session));
    },
  };
}
