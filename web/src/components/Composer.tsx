import {
  type KeyboardEvent,
  type ReactNode,
  useEffect,
  useEffectEvent,
  useId,
  useRef,
  useState,
} from 'react';

/** The server refuses messages over 16 KiB of UTF-8 (docs/protocol.md); say so before sending. */
export const MAX_MESSAGE_BYTES = 16 * 1024;

interface ComposerProps {
  /** Connected and ready for a question. */
  ready: boolean;
  /** Not ready yet (the conversation is loading), but a question sent now waits and goes out once it is. */
  queueable?: boolean;
  /** A question is waiting for the conversation to load. */
  queued?: boolean;
  /** A turn is running: the input is disabled and Send becomes Stop. */
  running: boolean;
  stopping: boolean;
  /** Returns false when the question could not be sent (the draft is kept). */
  onSend: (question: string) => boolean;
  onStop: () => void;
  /** Shown above the input: the files attached to the question (AttachmentTray). */
  tray?: ReactNode;
  /** Beside the input: the attach button. */
  attachButton?: ReactNode;
  /** Why the question must wait (files still uploading); Send is disabled while set. */
  waitingFor?: string;
}

/** The message box: Enter sends, Shift+Enter adds a line, Escape or Stop ends a running answer. */
export function Composer({
  ready,
  queueable = false,
  queued = false,
  running,
  stopping,
  onSend,
  onStop,
  tray,
  attachButton,
  waitingFor,
}: ComposerProps) {
  const [draft, setDraft] = useState('');
  const inputId = useId();
  const hintId = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const stopRef = useRef<HTMLButtonElement>(null);
  const bytes = new TextEncoder().encode(draft).length;
  const tooLong = bytes > MAX_MESSAGE_BYTES;
  const canSubmit = (ready || queueable) && !running && draft.trim() !== '' && !tooLong && !waitingFor;

  const submit = () => {
    if (canSubmit && onSend(draft)) setDraft('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter while an input method is composing (Japanese, Chinese…) confirms the composition, not the message.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  // Keyboard users keep their place: focus moves to Stop while the input is disabled, and back after.
  useEffect(() => {
    const focused = document.activeElement;
    const focusLost = focused === null || focused === document.body;
    if (running && (focusLost || focused === textareaRef.current)) stopRef.current?.focus();
    if (!running && focusLost) textareaRef.current?.focus();
  }, [running]);

  const onEscape = useEffectEvent((event: globalThis.KeyboardEvent) => {
    if (event.key === 'Escape') onStop();
  });
  useEffect(() => {
    if (!running) return;
    document.addEventListener('keydown', onEscape);
    return () => document.removeEventListener('keydown', onEscape);
  }, [running]);

  const hint = tooLong
    ? `Too long: ${(bytes / 1024).toFixed(1)} KB of ${MAX_MESSAGE_BYTES / 1024} KB.`
    : waitingFor && !running
      ? waitingFor
      : running
        ? 'Press Escape or Stop to end the answer.'
        : queued
          ? 'Your question goes out once the conversation has loaded.'
          : ready
            ? 'Enter to send, Shift+Enter for a new line.'
            : queueable
              ? 'Loading your conversation… Enter sends your question once it has loaded.'
              : 'Waiting for the connection…';

  return (
    <form
      className="composer"
      aria-label="Ask a question"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {tray}
      <div className="composer-box">
        {attachButton}
        <label htmlFor={inputId} className="visually-hidden">
          Message
        </label>
        <textarea
          id={inputId}
          ref={textareaRef}
          rows={1}
          value={draft}
          disabled={running}
          placeholder={running ? 'Answering…' : 'Ask anything'}
          aria-describedby={hintId}
          aria-invalid={tooLong || undefined}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
        />
        {running ? (
          <button
            key="stop"
            type="button"
            ref={stopRef}
            className="button-stop"
            disabled={stopping}
            onClick={onStop}
          >
            <span className="stop-icon" aria-hidden="true" />
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        ) : (
          <button key="send" type="submit" className="button-send" disabled={!canSubmit}>
            Send
          </button>
        )}
      </div>
      <p id={hintId} className="composer-hint" data-error={tooLong || undefined}>
        {hint}
      </p>
    </form>
  );
}
