import type { StopRequestReason, StopRequests } from './ports.ts';

/**
 * Polls for a request to stop this run of a turn (Stop button, or a resume from a new connection) every
 * `intervalMs`, starting one interval in, so a short answer costs no extra reads. Requests made by
 * `startedAt` were for an earlier run of the turn and are ignored. A failed poll is skipped, not fatal.
 * Returns a function that ends the watch.
 */
export function watchForStopRequest(
  stopRequests: StopRequests,
  target: { sessionId: string; turnId: string; startedAt: number },
  intervalMs: number,
  onStop: (reason: StopRequestReason) => void,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;
  const poll = async () => {
    const request = await stopRequests.find(target.sessionId, target.turnId).catch(() => undefined);
    if (ended) return;
    if (request && request.requestedAt > target.startedAt) onStop(request.reason);
    else timer = setTimeout(poll, intervalMs);
  };
  timer = setTimeout(poll, intervalMs);
  return () => {
    ended = true;
    clearTimeout(timer);
  };
}
