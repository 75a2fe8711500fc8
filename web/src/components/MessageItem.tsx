import { useMemo } from 'react';
import type { FeedbackRating } from '../../../src/protocol/server-frame.ts';
import type { ActiveTurn, ChatMessage } from '../chat/conversation.ts';
import { AnswerActions } from './AnswerActions.tsx';
import { SentAttachments } from './AttachmentTray.tsx';
import { Markdown } from './Markdown.tsx';
import { CITATION_ANCHOR_PREFIX } from './remark-citations.ts';
import { SourceList } from './SourceList.tsx';
import { StatusLine } from './StatusLine.tsx';
import { StopNote } from './StopNote.tsx';
import { ToolsUsed } from './ToolsUsed.tsx';
import { TypingIndicator } from './TypingIndicator.tsx';

interface MessageItemProps {
  message: ChatMessage;
  /** Set while this message is the answer being streamed. */
  turn?: ActiveTurn;
  onContinue?: () => void;
  onFeedback?: (turnId: string, rating: FeedbackRating, comment?: string) => void;
}

const NO_SOURCES: NonNullable<ChatMessage['sources']> = [];

/** One question (plain text, as typed) or one answer (Markdown, with its tools, sources and how it ended). */
export function MessageItem({ message, turn, onContinue, onFeedback }: MessageItemProps) {
  const sources = message.sources ?? NO_SOURCES;
  const searched = message.tools.includes('kb_lookup');
  // `[n]` in an answer that searched the knowledge base is a citation; in any other answer it is just text.
  const citations = useMemo(
    () =>
      searched
        ? { sources, anchorOf: (n: number) => `${CITATION_ANCHOR_PREFIX}${message.id}-${n}` }
        : undefined,
    [searched, sources, message.id],
  );
  if (message.role === 'user') {
    return (
      <article className="message message-user" aria-label="You" data-failed={message.failed || undefined}>
        {message.attachments && <SentAttachments files={message.attachments} />}
        <p className="user-text">{message.text}</p>
      </article>
    );
  }
  if (message.agentId !== undefined) {
    return (
      <article
        className="message message-assistant message-agent"
        aria-label={`${message.agentId} from support`}
      >
        <p className="agent-name">{message.agentId} · support</p>
        <p className="user-text">{message.text}</p>
      </article>
    );
  }
  const waitingForWords = turn !== undefined && message.text === '' && !turn.tool && !turn.detached;
  return (
    <article
      className="message message-assistant"
      aria-label="Assistant"
      data-failed={message.failed || undefined}
    >
      <ToolsUsed tools={message.tools} />
      {/* Busy while streaming: screen readers read the answer once it is complete, not word by word. */}
      <div className="answer" aria-live="polite" aria-busy={turn !== undefined}>
        {message.text !== '' && <Markdown text={message.text} citations={citations} />}
        {waitingForWords && <TypingIndicator />}
      </div>
      {citations && <SourceList sources={citations.sources} anchorOf={citations.anchorOf} />}
      {turn && <StatusLine turn={turn} />}
      {message.stopReason && !turn && <StopNote stopReason={message.stopReason} onContinue={onContinue} />}
      {message.failed && <p className="stop-note">Failed, not saved</p>}
      {!turn && !message.failed && message.text !== '' && (
        <AnswerActions
          text={message.text}
          feedback={message.feedback}
          onFeedback={
            message.turnId && onFeedback
              ? (rating, comment) => onFeedback(message.turnId as string, rating, comment)
              : undefined
          }
        />
      )}
    </article>
  );
}
