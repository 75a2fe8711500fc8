import type { StopRequest, StopRequestReason, StopRequests } from './ports.ts';

/**
 * Polls for a request to stop this run of a turn (Stop button, or a resume from a new connection) every
 * `intervalMs`, starting one interval in, so a short answer costs no extra reads. A failed poll is skipped,
 * not fatal. Returns a function that ends the watch.
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
    if (request && appliesToThisRun(request, target.startedAt)) onStop(request.reason);
    else timer = setTimeout(poll, intervalMs);
  };
  timer = setTimeout(poll, intervalMs);
  return () => {
    ended = true;
    clearTimeout(timer);
  };
}

/**
 * A cancel ends the turn whichever run it finds, even one that started after it: Stop pressed right after
 * Send can reach the server before the turn does. A resume's `client_gone` is meant for the run before it,
 * so one made by the time this run started is ignored.
 */
function appliesToThisRun(request: StopRequest, runStartedAt: number): boolean {
  return request.reason === 'cancelled' || request.requestedAt > runStartedAt;
}
