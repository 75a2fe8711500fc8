import { VersionConflictError } from '../../chat/errors.ts';
import type { SessionStore, StoredBranch, StoredSession } from '../../chat/ports.ts';

/**
 * Sessions in a Map, with the same conditions as the DynamoDB store. For unit tests, the recorder and
 * benchmarks; never used by a Lambda handler.
 */
export function createMemorySessionStore(initial: StoredSession[] = []): SessionStore & {
  readonly items: Map<string, StoredSession>;
  /** Stored branches, by `<sessionId>/<turnId>`. */
  readonly branches: Map<string, StoredBranch>;
} {
  const items = new Map(initial.map((session) => [session.sessionId, structuredClone(session)]));
  const branches = new Map<string, StoredBranch>();
  return {
    items,
    branches,
    async load(sessionId) {
      const session = items.get(sessionId);
      return session && structuredClone(session);
    },
    async create(session) {
      if (items.has(session.sessionId)) return false;
      items.set(session.sessionId, structuredClone(session));
      return true;
    },
    async save(session, expectedVersion, options = {}) {
      const current = items.get(session.sessionId)?.version ?? 0;
      if (current !== expectedVersion) throw new VersionConflictError(session.sessionId, expectedVersion);
      items.set(session.sessionId, structuredClone(session));
      // One transaction in DynamoDB: all of it, or (on a version conflict) none.
      const { branch } = options;
      if (branch?.takeUp) branches.delete(`${session.sessionId}/${branch.takeUp}`);
      if (branch) branches.set(`${session.sessionId}/${branch.leave.turnId}`, structuredClone(branch.leave));
    },
    async loadBranch(sessionId, turnId) {
      const branch = branches.get(`${sessionId}/${turnId}`);
      return branch && structuredClone(branch);
    },
  };
}
