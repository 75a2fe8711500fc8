import type { ConnectionState } from '../chat/use-chat-socket.ts';

const LABELS: Record<ConnectionState['status'] | 'loading', string> = {
  connecting: 'Connecting…',
  loading: 'Loading…',
  open: 'Connected',
  waiting: 'Offline, reconnecting…',
};

/**
 * The connection at a glance, with a way to retry at once instead of waiting for the next attempt. Connected
 * but still loading the conversation is not ready yet, and says so.
 */
export function ConnectionBadge({
  connection,
  loading = false,
  onReconnect,
}: {
  connection: ConnectionState;
  /** The conversation's history is on its way. */
  loading?: boolean;
  onReconnect: () => void;
}) {
  const status = connection.status === 'open' && loading ? 'loading' : connection.status;
  return (
    <div className="connection" data-status={status}>
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
        {LABELS[status]}
        {status === 'open' && connection.status === 'open' && connection.region && (
          <span className="connection-region"> · {connection.region}</span>
        )}
      </span>
      {connection.status === 'waiting' && (
        <button type="button" className="link-button" onClick={onReconnect}>
          Retry now
        </button>
      )}
    </div>
  );
}
