import type { StopRequestReason, StopRequests } from '../../chat/ports.ts';

/** Stop requests in a Map; for unit tests, the recorder and benchmarks. */
export function createMemoryStopRequests(): StopRequests {
  const requests = new Map<string, StopRequestReason>();
  const key = (sessionId: string, turnId: string) => `${sessionId}/${turnId}`;
  return {
    async request(sessionId, turnId, reason) {
      requests.set(key(sessionId, turnId), reason);
    },
    async find(sessionId, turnId) {
      return requests.get(key(sessionId, turnId));
    },
  };
}
