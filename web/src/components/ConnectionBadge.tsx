import type { ConnectionState } from '../chat/use-chat-socket.ts';

const LABELS: Record<ConnectionState['status'], string> = {
  connecting: 'Connecting…',
  open: 'Connected',
  waiting: 'Offline, reconnecting…',
};

/** The connection at a glance, with a way to retry at once instead of waiting for the next attempt. */
export function ConnectionBadge({
  connection,
  onReconnect,
}: {
  connection: ConnectionState;
  onReconnect: () => void;
}) {
  return (
    <div className="connection" data-status={connection.status}>
      <span
        className="connection-label"
        role="status"
        title={
          connection.status === 'waiting'
            ? `Attempt ${connection.attempt} failed; next in ${Math.ceil(connection.retryInMs / 1000)} s`
            : undefined
        }
      >
        <span className="connection-dot" aria-hidden="true" />
        {LABELS[connection.status]}
      </span>
      {connection.status === 'waiting' && (
        <button type="button" className="link-button" onClick={onReconnect}>
          Retry now
        </button>
      )}
    </div>
  );
}
