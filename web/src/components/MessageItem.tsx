import { useMemo, useState } from 'react';
import type { FeedbackRating } from '../../../src/protocol/server-frame.ts';
import type { ActiveTurn, ChatMessage } from '../chat/conversation.ts';
import { AnswerActions } from './AnswerActions.tsx';
import { SentAttachments } from './AttachmentTray.tsx';
import { Markdown } from './Markdown.tsx';
import { QuestionEditor } from './QuestionEditor.tsx';
import { CITATION_ANCHOR_PREFIX } from './remark-citations.ts';
import { SourceList } from './SourceList.tsx';
import { StatusLine } from './StatusLine.tsx';
import { StopNote } from './StopNote.tsx';
import { ToolsUsed } from './ToolsUsed.tsx';
import { TypingIndicator } from './TypingIndicator.tsx';
import { VersionSwitcher } from './VersionSwitcher.tsx';

interface MessageItemProps {
  message: ChatMessage;
  /** Set while this message is the answer being streamed. */
  turn?: ActiveTurn;
  onContinue?: () => void;
  onFeedback?: (turnId: string, rating: FeedbackRating, comment?: string) => void;
  /** A question that may be edited now (no answer streaming): asks it again as edited. */
  onEdit?: (text: string) => void;
  /** A question with versions that may be switched now. */
  onSwitchVersion?: (index: number) => void;
  /** The last answer, when it may be answered again now. */
  onRegenerate?: () => void;
}

const NO_SOURCES: NonNullable<ChatMessage['sources']> = [];

/** One question (plain text, as typed) or one answer (Markdown, with its tools, sources and how it ended). */
export function MessageItem(props: MessageItemProps) {
  const { message, turn, onContinue, onFeedback, onRegenerate } = props;
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
  if (message.role === 'user') return <Question {...props} />;
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
          onRegenerate={onRegenerate}
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

/** A question as typed, with its files; its versions (`< 1/2 >`) and an Edit button that edits it in place. */
function Question({ message, onEdit, onSwitchVersion }: MessageItemProps) {
  const [editing, setEditing] = useState(false);
  const { siblings } = message;
  return (
    <article className="message message-user" aria-label="You" data-failed={message.failed || undefined}>
      {message.attachments && <SentAttachments files={message.attachments} />}
      {editing && onEdit ? (
        <QuestionEditor
          text={message.text}
          onCancel={() => setEditing(false)}
          onSave={(text) => {
            setEditing(false);
            onEdit(text);
          }}
        />
      ) : (
        <p className="user-text">{message.text}</p>
      )}
      {!editing && (siblings || onEdit) && (
        <div className="question-actions">
          {siblings && siblings.count > 1 && (
            <VersionSwitcher index={siblings.index} count={siblings.count} onSwitch={onSwitchVersion} />
          )}
          {onEdit && (
            <button
              type="button"
              className="action-button"
              aria-label="Edit question"
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
          )}
        </div>
      )}
    </article>
  );
}
