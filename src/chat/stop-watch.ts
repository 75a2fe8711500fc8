import type { StopRequest, TurnStore } from './ports.ts';

/**
 * Polls the turn's item for a request to stop this run (Stop button, or a resume from a new connection) every
 * `intervalMs`, starting one interval in, so a short answer costs no read. A request made for another run of
 * the turn (the one a resume took over from) is ignored. A failed poll is skipped, not fatal. Returns a
 * function that ends the watch.
 */
export function watchForStopRequest(
  turns: TurnStore,
  target: { sessionId: string; turnId: string; runId: string },
  intervalMs: number,
  onStop: (request: StopRequest) => void,
): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let ended = false;
  const poll = async () => {
    const request = await turns.findStop(target.sessionId, target.turnId).catch(() => undefined);
    if (ended) return;
    if (request?.runId === target.runId) onStop(request);
    else timer = setTimeout(poll, intervalMs);
  };
  timer = setTimeout(poll, intervalMs);
  return () => {
    ended = true;
    clearTimeout(timer);
  };
}
