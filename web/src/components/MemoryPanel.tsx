import { useEffect } from 'react';
import type { MemoriesFrame } from '../../../src/protocol/server-frame.ts';

interface MemoryPanelProps {
  memories?: MemoriesFrame;
  /** Asks the server for the list; called when the panel opens. */
  onLoad: () => void;
  onDelete: (memoryId?: string) => void;
  onClose: () => void;
}

/** What the assistant remembers about the user across chats, each with a Delete button, and Forget everything. */
export function MemoryPanel({ memories, onLoad, onDelete, onClose }: MemoryPanelProps) {
  const load = onLoad;
  // Braces: load returns a boolean, and what an effect returns React calls as its cleanup when the panel closes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: loads once per opening, not on every render
  useEffect(() => {
    load();
  }, []);
  const list = memories?.memories;
  return (
    <aside className="memory-panel" aria-label="Memory">
      <div className="memory-panel-header">
        <h2>Memory</h2>
        <button type="button" className="banner-dismiss" aria-label="Close memory" onClick={onClose}>
          ×
        </button>
      </div>
      <p className="memory-panel-note">
        Facts the assistant keeps across chats. Say “Remember that …” to add one, “Forget …” to remove it.
      </p>
      {list === undefined ? (
        <p className="memory-panel-note">Loading…</p>
      ) : list.length === 0 ? (
        <p className="memory-panel-empty">Nothing remembered yet.</p>
      ) : (
        <>
          <ul className="memory-list">
            {list.map((memory) => (
              <li key={memory.memoryId}>
                <span>{memory.text}</span>
                <button
                  type="button"
                  className="button-secondary"
                  aria-label={`Delete “${memory.text}”`}
                  onClick={() => onDelete(memory.memoryId)}
                >
                  Delete
                </button>
              </li>
            ))}
          </ul>
          <p className="memory-panel-note">
            {list.length} of {memories?.max}{' '}
            <button type="button" className="link-button" onClick={() => onDelete()}>
              Forget everything
            </button>
          </p>
        </>
      )}
    </aside>
  );
}
