import type { StopReason } from '../../../src/protocol/server-frame.ts';

const STOP_NOTES: Partial<Record<StopReason, string>> = {
  cancelled: 'Stopped',
  client_gone: 'Cut off when the connection dropped',
  timeout: 'Cut short: the answer took too long',
  max_tokens: 'Cut short: the answer reached its length limit',
  content_filtered: 'Stopped by the content filter',
  guardrail_intervened: 'Stopped by a guardrail',
};

/** Says why an answer ended early; offers to continue it when the server can. */
export function StopNote({ stopReason, onContinue }: { stopReason: StopReason; onContinue?: () => void }) {
  const note = STOP_NOTES[stopReason];
  if (!note) return null;
  return (
    <p className="stop-note">
      {note}
      {onContinue && (
        <button type="button" className="link-button" onClick={onContinue}>
          Continue
        </button>
      )}
    </p>
  );
}
