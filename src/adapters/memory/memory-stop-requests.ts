import type { StopRequest, StopRequests } from '../../chat/ports.ts';

/** Stop requests in a Map; for unit tests, the recorder and benchmarks. */
export function createMemoryStopRequests(): StopRequests {
  const requests = new Map<string, StopRequest>();
  const key = (sessionId: string, turnId: string) => `${sessionId}/${turnId}`;
  return {
    async request(sessionId, turnId, request) {
      requests.set(key(sessionId, turnId), request);
    },
    async find(sessionId, turnId) {
      return requests.get(key(sessionId, turnId));
    },
  };
}
