import { useId, useRef } from 'react';
import { ATTACHMENT_FORMATS, formatBytes } from '../../../src/protocol/attachments.ts';
import type { Attachments } from '../attachments/use-attachments.ts';

/** What the file picker offers: every extension and type Bedrock takes (the checks still run on each file). */
const ACCEPT = Object.values(ATTACHMENT_FORMATS)
  .flatMap((info) => [info.contentType, ...info.extensions.map((extension) => `.${extension}`)])
  .join(',');

/** The paper-clip button that opens the file picker. */
export function AttachButton({ attachments, disabled }: { attachments: Attachments; disabled: boolean }) {
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  return (
    <>
      <input
        id={inputId}
        ref={inputRef}
        type="file"
        multiple
        accept={ACCEPT}
        className="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        data-testid="attach-input"
        onChange={(event) => {
          attachments.add(Array.from(event.target.files ?? []));
          event.target.value = '';
        }}
      />
      <button
        type="button"
        className="button-attach"
        aria-label="Attach files"
        title="Attach images or documents"
        disabled={disabled}
        onClick={() => inputRef.current?.click()}
      >
        <PaperClip />
      </button>
    </>
  );
}

/** The files picked for the next question, each with a remove button, and why any were refused. */
export function AttachmentTray({ attachments }: { attachments: Attachments }) {
  const { drafts, errors } = attachments;
  if (drafts.length === 0 && errors.length === 0) return null;
  return (
    <div className="attachment-tray">
      {drafts.length > 0 && (
        <ul className="attachment-chips" aria-label="Attached files">
          {drafts.map((draft) => (
            <li key={draft.id} className="attachment-chip" data-status={draft.status}>
              <FormatBadge format={draft.format} />
              <span className="attachment-name">{draft.name}</span>
              <span className="attachment-size">
                {draft.status === 'uploading' ? 'uploading…' : formatBytes(draft.size)}
              </span>
              <button
                type="button"
                className="attachment-remove"
                aria-label={`Remove ${draft.name}`}
                onClick={() => attachments.remove(draft.id)}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {errors.length > 0 && (
        <div className="attachment-errors" role="alert">
          {errors.map((error) => (
            <p key={error}>{error}</p>
          ))}
          <button type="button" className="attachment-dismiss" onClick={attachments.dismissErrors}>
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}

/** The files attached to a question in the conversation. */
export function SentAttachments({
  files,
}: {
  files: ReadonlyArray<{ name: string; format: string; size: number }>;
}) {
  return (
    <ul className="attachment-chips sent" aria-label="Attached files">
      {files.map((file) => (
        <li key={file.name} className="attachment-chip">
          <FormatBadge format={file.format} />
          <span className="attachment-name">{file.name}</span>
          <span className="attachment-size">{formatBytes(file.size)}</span>
        </li>
      ))}
    </ul>
  );
}

/** The file's format as a small badge (PNG, PDF…), tinted for images; the name says the rest to screen readers. */
function FormatBadge({ format }: { format: string }) {
  const kind = Object.hasOwn(ATTACHMENT_FORMATS, format)
    ? ATTACHMENT_FORMATS[format as keyof typeof ATTACHMENT_FORMATS].kind
    : 'document';
  return (
    <span className="attachment-kind" data-kind={kind} aria-hidden="true">
      {format.toUpperCase()}
    </span>
  );
}

function PaperClip() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true">
      <path
        strokeLinecap="round"
        strokeLinejoin="round"
        d="M21 11.5l-8.6 8.6a5 5 0 01-7.1-7.1l8.6-8.6a3.3 3.3 0 014.7 4.7l-8.6 8.6a1.7 1.7 0 01-2.4-2.4l7.9-7.9"
      />
    </svg>
  );
}
