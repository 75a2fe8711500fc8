import { type ConversationState, RESUMABLE_STOP_REASONS } from '../chat/conversation.ts';
import { EmptyState } from './EmptyState.tsx';
import { MessageItem } from './MessageItem.tsx';
import { useStickToBottom } from './use-stick-to-bottom.ts';

interface MessageListProps {
  conversation: ConversationState;
  canAsk: boolean;
  onAsk: (question: string) => void;
  onContinue: (turnId: string) => void;
}

/** The conversation, scrolled to the newest words as they stream in. */
export function MessageList({ conversation, canAsk, onAsk, onContinue }: MessageListProps) {
  const { messages, turn, loaded } = conversation;
  const scroll = useStickToBottom<HTMLDivElement>();
  const last = messages.at(-1);
  const continuable =
    !turn && last?.stopReason && RESUMABLE_STOP_REASONS.has(last.stopReason) ? last.id : undefined;

  return (
    <div className="messages" ref={scroll.ref} onScroll={scroll.onScroll}>
      {messages.length === 0 ? (
        loaded ? (
          <EmptyState canAsk={canAsk} onAsk={onAsk} />
        ) : (
          <p className="loading">Loading your conversation…</p>
        )
      ) : (
        <ol className="message-list" aria-label="Conversation">
          {messages.map((message) => (
            <li key={message.id}>
              <MessageItem
                message={message}
                turn={message.id === turn?.turnId ? turn : undefined}
                onContinue={message.id === continuable ? () => onContinue(message.id) : undefined}
              />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
