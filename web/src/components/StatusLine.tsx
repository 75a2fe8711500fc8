import type { ActiveTurn } from '../chat/conversation.ts';

/**
 * What the running turn is doing besides writing: a tool at work, a Stop on its way, a dropped connection.
 * The live region stays mounted for the whole turn so screen readers announce each change.
 */
export function StatusLine({ turn }: { turn: ActiveTurn }) {
  const text = turn.detached
    ? 'Connection lost. The answer will continue once the chat reconnects…'
    : turn.stopping
      ? 'Stopping…'
      : turn.tool?.status;
  return (
    <p className="status-line" role="status">
      {text && <span className="spinner" aria-hidden="true" />}
      {text}
      {text && turn.tool && !turn.detached && !turn.stopping && (
        <code className="status-tool">{turn.tool.name}</code>
      )}
    </p>
  );
}
