import { useEffect } from 'react';
import type { FeedbackRating } from '../../../src/protocol/server-frame.ts';
import { type ChatMessage, type ConversationState, RESUMABLE_STOP_REASONS } from '../chat/conversation.ts';
import { EmptyState } from './EmptyState.tsx';
import { MessageItem } from './MessageItem.tsx';
import { QueuedQuestion } from './QueuedQuestion.tsx';
import { useStickToBottom } from './use-stick-to-bottom.ts';

interface MessageListProps {
  conversation: ConversationState;
  canAsk: boolean;
  onAsk: (question: string) => void;
  onContinue: (turnId: string) => void;
  onFeedback?: (turnId: string, rating: FeedbackRating, comment?: string) => void;
  /** Branches (absent: not offered): a new answer to the last question, an edited question, another version. */
  onRegenerate?: () => void;
  onEdit?: (turnId: string, text: string) => void;
  onSwitchVersion?: (turnId: string, index: number) => void;
}

/** The conversation, scrolled to the newest words as they stream in. */
export function MessageList(props: MessageListProps) {
  const { conversation, canAsk, onAsk, onContinue, onFeedback } = props;
  const { messages, turn, loaded, queued } = conversation;
  const loadFailed = conversation.problem?.retry === 'load';
  const scroll = useStickToBottom<HTMLDivElement>();
  const last = messages.at(-1);
  const questions = messages.filter((message) => message.role === 'user').length + (queued ? 1 : 0);
  const { jumpToLatest } = scroll;
  // A question the user just sent is always in view, even when they had scrolled up to read.
  useEffect(() => {
    if (questions > 0) jumpToLatest();
  }, [questions, jumpToLatest]);
  const continuable =
    !turn && last?.stopReason && RESUMABLE_STOP_REASONS.has(last.stopReason) ? last.id : undefined;
  // Branching is offered only on stored turns, while no answer streams (the server refuses it then too).
  const branchable = (message: ChatMessage) => canAsk && !message.failed && message.turnId !== undefined;
  const { onRegenerate, onEdit, onSwitchVersion } = props;

  return (
    <div className="messages" ref={scroll.ref} onScroll={scroll.onScroll}>
      {!loaded && (
        <p className="loading">
          {loadFailed ? 'Your conversation has not loaded.' : 'Loading your conversation…'}
        </p>
      )}
      {conversation.summarizedTurns ? (
        <p className="summarized-note" role="note">
          {conversation.summarizedTurns === 1
            ? '1 earlier turn was'
            : `${conversation.summarizedTurns} earlier turns were`}{' '}
          summarized: the assistant still knows them, in short.
        </p>
      ) : null}
      {loaded && messages.length === 0 && !queued && <EmptyState canAsk={canAsk} onAsk={onAsk} />}
      {(messages.length > 0 || queued) && (
        <ol className="message-list" aria-label="Conversation">
          {messages.map((message) => (
            <li key={message.id}>
              <MessageItem
                message={message}
                turn={message.id === turn?.turnId ? turn : undefined}
                onContinue={message.id === continuable ? () => onContinue(message.id) : undefined}
                onFeedback={onFeedback}
                onRegenerate={
                  onRegenerate && message === last && message.role === 'assistant' && branchable(message)
                    ? onRegenerate
                    : undefined
                }
                onEdit={
                  onEdit && message.role === 'user' && branchable(message)
                    ? (text) => onEdit(message.turnId as string, text)
                    : undefined
                }
                onSwitchVersion={
                  onSwitchVersion && branchable(message)
                    ? (index) => onSwitchVersion(message.turnId as string, index)
                    : undefined
                }
              />
            </li>
          ))}
          {queued && (
            <li>
              <QueuedQuestion text={queued} />
            </li>
          )}
        </ol>
      )}
      {!scroll.atBottom && messages.length > 0 && (
        <button type="button" className="jump-to-latest" onClick={jumpToLatest}>
          Jump to latest <span aria-hidden="true">↓</span>
        </button>
      )}
    </div>
  );
}
