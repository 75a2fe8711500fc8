import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { ServerFrame } from '../../src/protocol/server-frame.ts';

const WS_URL = import.meta.env.VITE_CHAT_WS_URL ?? 'ws://127.0.0.1:3001';

interface Line {
  role: 'user' | 'assistant';
  text: string;
}

function sessionId(): string {
  const saved = localStorage.getItem('chat.sessionId');
  if (saved) return saved;
  const id = crypto.randomUUID();
  localStorage.setItem('chat.sessionId', id);
  return id;
}

export function App() {
  const socket = useRef<WebSocket | null>(null);
  const [lines, setLines] = useState<Line[]>([]);
  const [status, setStatus] = useState('');
  const [draft, setDraft] = useState('');

  useEffect(() => {
    const ws = new WebSocket(WS_URL);
    socket.current = ws;
    ws.onopen = () => ws.send(JSON.stringify({ action: 'getHistory', sessionId: sessionId() }));
    ws.onmessage = (event) => {
      const frame = JSON.parse(String(event.data)) as ServerFrame;
      if (frame.type === 'history') setLines(frame.messages.map((m) => ({ role: m.role, text: m.text })));
      if (frame.type === 'status') setStatus(frame.value);
      if (frame.type === 'token') {
        setStatus('');
        setLines((current) => {
          const last = current.at(-1);
          if (last?.role === 'assistant')
            return [...current.slice(0, -1), { ...last, text: last.text + frame.value }];
          return [...current, { role: 'assistant', text: frame.value }];
        });
      }
      if (frame.type === 'done') setStatus('');
      if (frame.type === 'error') setStatus(frame.message);
    };
    return () => ws.close();
  }, []);

  const send = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim() || socket.current?.readyState !== WebSocket.OPEN) return;
    socket.current.send(JSON.stringify({ action: 'sendMessage', sessionId: sessionId(), message: draft }));
    setLines((current) => [...current, { role: 'user', text: draft }]);
    setDraft('');
  };

  return (
    <main>
      <ol aria-live="polite">
        {lines.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines are only ever appended
          <li key={index} data-role={line.role}>
            {line.text}
          </li>
        ))}
      </ol>
      <p role="status">{status}</p>
      <form onSubmit={send}>
        <input value={draft} onChange={(event) => setDraft(event.target.value)} aria-label="Message" />
        <button type="submit">Send</button>
      </form>
    </main>
  );
}
