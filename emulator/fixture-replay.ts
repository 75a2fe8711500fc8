import { toStreamFrame } from './fixture-events.ts';
import type { Interaction } from './fixtures.ts';
import type { ResponsePlan } from './response-plan.ts';

/** A recorded response as a plan to send again; event-stream frames re-encode to the recorded bytes. */
export function planFromInteraction(interaction: Interaction): ResponsePlan {
  const { response } = interaction;
  if (response.events) {
    return {
      kind: 'stream',
      status: response.status,
      headers: response.headers,
      frames: response.events.map((event) => ({ delayMs: event.delayMs, frame: toStreamFrame(event) })),
      ...(response.stall ? { stall: true } : {}),
    };
  }
  return {
    kind: 'json',
    status: response.status,
    headers: { 'content-type': 'application/json', ...response.headers },
    body: response.bodyText ?? JSON.stringify(response.body),
    delayMs: response.delayMs ?? 0,
  };
}
