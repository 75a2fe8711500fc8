import type { ConnectionState } from '../chat/use-chat-socket.ts';
import { ConnectionBadge } from './ConnectionBadge.tsx';

interface ChatHeaderProps {
  connection: ConnectionState;
  /** The conversation's history is on its way. */
  loading: boolean;
  onReconnect: () => void;
  onNewChat: () => void;
  /** Opens the list of conversations (a drawer on phones). */
  onShowChats?: () => void;
  /** The memory panel is open. */
  memoryOpen?: boolean;
  onToggleMemory?: () => void;
  user?: string;
  onSignOut?: () => void;
}

export function ChatHeader({
  connection,
  loading,
  onReconnect,
  onNewChat,
  onShowChats,
  memoryOpen,
  onToggleMemory,
  user,
  onSignOut,
}: ChatHeaderProps) {
  return (
    <header className="chat-header">
      {onShowChats && (
        <button type="button" className="button-secondary chats-toggle" onClick={onShowChats}>
          Chats
        </button>
      )}
      <h1>Chat</h1>
      <ConnectionBadge connection={connection} loading={loading} onReconnect={onReconnect} />
      {onToggleMemory && (
        <button type="button" className="button-secondary" aria-pressed={memoryOpen} onClick={onToggleMemory}>
          Memory
        </button>
      )}
      <button type="button" className="button-secondary" onClick={onNewChat}>
        New chat
      </button>
      {user && <span className="chat-user">{user}</span>}
      {onSignOut && (
        <button type="button" className="button-secondary" onClick={onSignOut}>
          Sign out
        </button>
      )}
    </header>
  );
}
