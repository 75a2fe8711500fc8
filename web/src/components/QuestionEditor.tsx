import { useState } from 'react';

interface QuestionEditorProps {
  text: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}

/** A question edited in place: Save & send asks it again (a new version), Cancel or Escape leaves it as it was. */
export function QuestionEditor({ text, onSave, onCancel }: QuestionEditorProps) {
  const [draft, setDraft] = useState(text);
  const changed = draft.trim() !== '' && draft.trim() !== text.trim();
  return (
    <form
      className="question-editor"
      onSubmit={(event) => {
        event.preventDefault();
        if (changed) onSave(draft.trim());
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
    >
      <textarea
        aria-label="Edit your question"
        value={draft}
        // biome-ignore lint/a11y/noAutofocus: the editor opens because the user asked to edit this question.
        autoFocus
        rows={Math.min(8, Math.max(2, draft.split('\n').length))}
        onChange={(event) => setDraft(event.target.value)}
      />
      <div className="question-editor-buttons">
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button-primary" disabled={!changed}>
          Save & send
        </button>
      </div>
    </form>
  );
}
