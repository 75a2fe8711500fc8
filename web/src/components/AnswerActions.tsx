import { useState } from 'react';
import type { FeedbackRating, TurnFeedback } from '../../../src/protocol/server-frame.ts';
import { useCopy } from './use-copy.ts';

interface AnswerActionsProps {
  /** The answer as Markdown, for Copy. */
  text: string;
  feedback?: TurnFeedback;
  /** Absent when the answer cannot be rated (its turn is unknown). */
  onFeedback?: (rating: FeedbackRating, comment?: string) => void;
  /** On the last answer, when it may be answered again. */
  onRegenerate?: () => void;
}

/** Under a finished answer: copy it as Markdown, rate it (and say why). Room for more actions. */
export function AnswerActions({ text, feedback, onFeedback, onRegenerate }: AnswerActionsProps) {
  const { copied, copy: copyText } = useCopy();
  const [commenting, setCommenting] = useState<FeedbackRating>();
  const [comment, setComment] = useState('');

  const copy = () => copyText(text);
  const rate = (rating: FeedbackRating) => {
    onFeedback?.(rating);
    setComment(feedback?.rating === rating ? (feedback.comment ?? '') : '');
    setCommenting(rating);
  };

  return (
    <div className="answer-actions">
      <div className="answer-buttons">
        <button
          type="button"
          className="action-button"
          onClick={copy}
          aria-label={copied ? 'Copied' : 'Copy answer'}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        {onFeedback && (
          <>
            <button
              type="button"
              className="action-button"
              aria-label="Good answer"
              aria-pressed={feedback?.rating === 'up'}
              onClick={() => rate('up')}
            >
              Good
            </button>
            <button
              type="button"
              className="action-button"
              aria-label="Bad answer"
              aria-pressed={feedback?.rating === 'down'}
              onClick={() => rate('down')}
            >
              Bad
            </button>
          </>
        )}
        {onRegenerate && (
          <button
            type="button"
            className="action-button"
            aria-label="Regenerate answer"
            onClick={onRegenerate}
          >
            Regenerate
          </button>
        )}
        {feedback?.comment && !commenting && <span className="feedback-comment">“{feedback.comment}”</span>}
      </div>
      {commenting && onFeedback && (
        <form
          className="feedback-form"
          onSubmit={(event) => {
            event.preventDefault();
            onFeedback(commenting, comment);
            setCommenting(undefined);
          }}
        >
          <input
            aria-label="Feedback comment (optional)"
            placeholder="What was good or bad? (optional)"
            value={comment}
            maxLength={2000}
            onChange={(event) => setComment(event.target.value)}
          />
          <button type="submit" className="button-secondary">
            Send
          </button>
          <button type="button" className="button-secondary" onClick={() => setCommenting(undefined)}>
            Close
          </button>
        </form>
      )}
    </div>
  );
}
