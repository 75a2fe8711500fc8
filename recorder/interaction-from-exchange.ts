import { encodeFrame } from '../emulator/event-stream.ts';
import { jsonOrText, toFixtureEvent, toStreamFrame } from '../emulator/fixture-events.ts';
import type { FixtureEvent, Interaction } from '../emulator/fixtures.ts';
import { redactJson } from '../emulator/redaction.ts';
import { RecordingError } from './errors.ts';
import type { Exchange } from './recording-handlers.ts';

/**
 * A captured exchange as a fixture interaction: events readable, delays in whole milliseconds, secrets
 * redacted. Throws RecordingError when an event would not re-encode to the bytes that were received, so a
 * fixture that cannot replay byte for byte is never written.
 */
export function interactionFromExchange(exchange: Exchange): Interaction {
  const request =
    exchange.operation === 'Retrieve' ? { knowledgeBaseId: exchange.target } : { modelId: exchange.target };
  const common = { status: exchange.status, headers: exchange.headers };
  const response = exchange.frames
    ? { ...common, events: toFixtureEvents(exchange) }
    : {
        ...common,
        ...jsonOrText(exchange.text ?? '', 'body', 'bodyText'),
        delayMs: Math.round(exchange.atMs ?? 0),
      };
  return redactJson({
    operation: exchange.operation,
    request: { ...request, body: exchange.requestBody },
    response,
  });
}

function toFixtureEvents(exchange: Exchange): FixtureEvent[] {
  let previousMs = 0;
  return (exchange.frames ?? []).map(({ frame, atMs }, index) => {
    // Rounded on the running total, so the delays add up to the recorded duration.
    const delayMs = Math.round(atMs) - previousMs;
    previousMs += delayMs;
    const event = toFixtureEvent(frame, delayMs);
    if (!sameBytes(encodeFrame(toStreamFrame(event)), frame.bytes)) {
      throw new RecordingError(
        `${exchange.operation} ${exchange.target}: frame ${index + 1} uses header types or encodings the fixture ` +
          'format cannot reproduce byte for byte; nothing was written.',
      );
    }
    return event;
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && a.every((byte, index) => byte === b[index]);
}
