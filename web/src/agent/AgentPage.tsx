import { type FormEvent, useEffect, useReducer, useRef, useState } from 'react';
import type { ClientFrame } from '../../../src/protocol/client-frame.ts';
import type { ServerFrame } from '../../../src/protocol/server-frame.ts';
import { type CreateSocket, useChatSocket } from '../chat/use-chat-socket.ts';
import { Banner } from '../components/Banner.tsx';
import { conversationToReopen, initialAgentConsole, isOwn, receiveAgentFrame } from './agent-console.ts';

export interface AgentPageProps {
  getSocketUrl: () => Promise<string>;
  createSocket?: CreateSocket;
  user?: string;
  now?: () => number;
}

type Action = { type: 'frame'; frame: ServerFrame } | { type: 'dismiss' };

/**
 * `/agent`: the agent console. The queue of conversations handed to a person, live (the server pushes it on
 * every change); claim one, read its transcript and the assistant's summary, reply, and hand it back.
 */
export default function AgentPage({ getSocketUrl, createSocket, user, now = Date.now }: AgentPageProps) {
  const [state, dispatch] = useReducer(
    (current: typeof initialAgentConsole, action: Action) =>
      action.type === 'frame'
        ? receiveAgentFrame(current, action.frame)
        : { ...current, problem: undefined, notice: undefined },
    initialAgentConsole,
  );
  const [draft, setDraft] = useState('');
  const socket = useChatSocket({
    getSocketUrl,
    createSocket,
    onOpen: () => socket.send({ action: 'listHandoffs' }),
    onFrame: (frame) => dispatch({ type: 'frame', frame }),
  });
  const send = (frame: ClientFrame) => socket.send(frame);
  const { active } = state;
  // Once per page, when the queue first arrives: a console reloaded while it has a conversation opens it again,
  // transcript and all.
  const reopened = useRef(false);
  const reopen = conversationToReopen(state);
  const sendFrame = socket.send;
  useEffect(() => {
    if (state.agentId === undefined || reopened.current) return;
    reopened.current = true;
    if (reopen !== undefined) sendFrame({ action: 'claimHandoff', sessionId: reopen });
  }, [state.agentId, reopen, sendFrame]);

  const reply = (event: FormEvent) => {
    event.preventDefault();
    const message = draft.trim();
    if (!active || message === '') return;
    if (send({ action: 'agentMessage', sessionId: active.entry.sessionId, message })) setDraft('');
  };

  return (
    <div className="agent">
      <header className="admin-header">
        <h1>Agent console</h1>
        <span className="agent-connection">
          {socket.connection.status === 'open' ? 'Live' : 'Connecting…'}
        </span>
        <a className="admin-chat-link" href="/">
          Chat
        </a>
        {user && <span className="chat-user">{user}</span>}
      </header>
      {state.forbidden && (
        <Banner tone="error">
          This page is for agents only{user ? `, and ${user} is not in the agents group` : ''}.
        </Banner>
      )}
      {state.problem && (
        <Banner tone="error" onDismiss={() => dispatch({ type: 'dismiss' })}>
          {state.problem}
        </Banner>
      )}
      {state.notice && (
        <Banner tone="info" onDismiss={() => dispatch({ type: 'dismiss' })}>
          {state.notice}
        </Banner>
      )}
      {!state.forbidden && (
        <main className="agent-main">
          <section className="agent-queue" aria-label="Queue">
            <h2>Queue ({state.queue.length})</h2>
            {state.loaded && state.queue.length === 0 && <p className="agent-empty">Nobody is waiting.</p>}
            <ol>
              {state.queue.map((entry) => (
                <li key={entry.sessionId} className="agent-entry" data-session={entry.sessionId}>
                  <p className="agent-entry-head">
                    <strong>{entry.userId}</strong> · {entry.reason.replace('_', ' ')} · waiting{' '}
                    {minutesSince(entry.queuedAt, state.queueAt ?? now())}
                  </p>
                  <p className="agent-summary">{entry.summary}</p>
                  {entry.status === 'queued' ? (
                    <button
                      type="button"
                      onClick={() => send({ action: 'claimHandoff', sessionId: entry.sessionId })}
                    >
                      Claim
                    </button>
                  ) : isOwn(state, entry, user) ? (
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => send({ action: 'claimHandoff', sessionId: entry.sessionId })}
                    >
                      Open
                    </button>
                  ) : (
                    <p className="agent-claimed">With {entry.agentId}</p>
                  )}
                </li>
              ))}
            </ol>
          </section>
          <section className="agent-conversation" aria-label="Conversation">
            {!active && <p className="agent-empty">Claim a conversation to read it and reply.</p>}
            {active && (
              <>
                <h2>{active.entry.userId}</h2>
                <p className="agent-summary">
                  <strong>Assistant's summary:</strong> {active.entry.summary}
                </p>
                <ol className="agent-transcript">
                  {active.messages.map((message, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a transcript is fixed; its order is its identity
                    <li key={index} className={`agent-line agent-line-${message.role}`}>
                      <span className="agent-line-who">
                        {message.role === 'user' ? active.entry.userId : 'Assistant'}
                      </span>
                      {message.text}
                    </li>
                  ))}
                  {active.lines.map((line) => (
                    <li key={`${line.from}-${line.at}`} className={`agent-line agent-line-live-${line.from}`}>
                      <span className="agent-line-who">{line.by}</span>
                      {line.text}
                    </li>
                  ))}
                </ol>
                <form className="agent-reply" onSubmit={reply}>
                  <textarea
                    aria-label="Reply"
                    value={draft}
                    onChange={(event) => setDraft(event.target.value)}
                    rows={3}
                  />
                  <div className="agent-reply-actions">
                    <button type="submit" disabled={draft.trim() === ''}>
                      Send
                    </button>
                    <button
                      type="button"
                      className="button-secondary"
                      onClick={() => send({ action: 'releaseHandoff', sessionId: active.entry.sessionId })}
                    >
                      Hand back to the assistant
                    </button>
                  </div>
                </form>
              </>
            )}
          </section>
        </main>
      )}
    </div>
  );
}

function minutesSince(then: number, now: number): string {
  const minutes = Math.max(0, Math.floor((now - then) / 60_000));
  return minutes < 1 ? 'under a minute' : `${minutes} min`;
}
