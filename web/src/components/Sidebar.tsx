import { type FormEvent, useState } from 'react';
import type { SessionSummary } from '../../../src/protocol/server-frame.ts';
import { type SessionListState, sessionLabel } from '../chat/session-list.ts';

interface SidebarProps {
  list: SessionListState;
  currentId: string;
  /** A drawer on phones: shown only while open. */
  open: boolean;
  onClose: () => void;
  onOpen: (sessionId: string) => void;
  onSearch: (query: string) => void;
  onLoadMore: () => void;
  onRename: (sessionId: string, title: string) => void;
  onDelete: (sessionId: string) => void;
}

/**
 * The user's conversations, newest first: search, open, rename, delete; a drawer on phones. (New chat is in
 * the header, where it is on phones too.)
 */
export function Sidebar(props: SidebarProps) {
  const { list, currentId, open } = props;
  const [query, setQuery] = useState('');
  const search = (event: FormEvent) => {
    event.preventDefault();
    props.onSearch(query);
  };
  return (
    <>
      {open && (
        <button
          type="button"
          className="sidebar-scrim"
          aria-label="Close conversations"
          onClick={props.onClose}
        />
      )}
      <nav className="sidebar" aria-label="Conversations" data-open={open || undefined}>
        <div className="sidebar-top">
          <form onSubmit={search}>
            <input
              type="search"
              className="sidebar-search"
              placeholder="Search chats"
              aria-label="Search conversations"
              value={query}
              onChange={(event) => {
                setQuery(event.target.value);
                // Cleared: the whole list again.
                if (event.target.value === '' && list.query !== '') props.onSearch('');
              }}
            />
          </form>
        </div>
        <ol className="session-list">
          {list.sessions.map((session) => (
            <li key={session.sessionId}>
              <SessionRow
                session={session}
                current={session.sessionId === currentId}
                onOpen={() => props.onOpen(session.sessionId)}
                onRename={(title) => props.onRename(session.sessionId, title)}
                onDelete={() => props.onDelete(session.sessionId)}
              />
            </li>
          ))}
        </ol>
        {list.loaded && list.sessions.length === 0 && (
          <p className="sidebar-empty">{list.query ? 'No chats match.' : 'No chats yet.'}</p>
        )}
        {list.loading && <p className="sidebar-empty">Loading chats…</p>}
        {list.cursor && !list.loading && (
          <button type="button" className="button-secondary sidebar-more" onClick={props.onLoadMore}>
            Load more
          </button>
        )}
      </nav>
    </>
  );
}

interface SessionRowProps {
  session: SessionSummary;
  current: boolean;
  onOpen: () => void;
  onRename: (title: string) => void;
  onDelete: () => void;
}

function SessionRow({ session, current, onOpen, onRename, onDelete }: SessionRowProps) {
  const [mode, setMode] = useState<'view' | 'rename' | 'delete'>('view');
  const [title, setTitle] = useState('');
  const label = sessionLabel(session);

  if (mode === 'rename') {
    return (
      <form
        className="session-row session-rename"
        onSubmit={(event) => {
          event.preventDefault();
          if (title.trim()) onRename(title);
          setMode('view');
        }}
      >
        <input
          aria-label="New name"
          value={title}
          maxLength={120}
          // biome-ignore lint/a11y/noAutofocus: the field the user just asked for
          autoFocus
          onChange={(event) => setTitle(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setMode('view');
          }}
        />
        <button type="submit" className="button-secondary">
          Save
        </button>
      </form>
    );
  }
  if (mode === 'delete') {
    return (
      <div className="session-row session-confirm">
        <span>Delete “{label}”?</span>
        <button type="button" className="button-danger" onClick={onDelete}>
          Delete
        </button>
        <button type="button" className="button-secondary" onClick={() => setMode('view')}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <div className="session-row" data-current={current || undefined}>
      <button
        type="button"
        className="session-open"
        aria-current={current ? 'page' : undefined}
        onClick={onOpen}
      >
        {label}
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={`Rename ${label}`}
        title="Rename"
        onClick={() => {
          setTitle(session.title ?? '');
          setMode('rename');
        }}
      >
        ✎
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={`Delete ${label}`}
        title="Delete"
        onClick={() => setMode('delete')}
      >
        ✕
      </button>
    </div>
  );
}
