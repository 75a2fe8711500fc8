import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createSessionStore } from './chat/session-store.ts';
import { configuredSocketUrl } from './chat/socket-url.ts';
import { Banner } from './components/Banner.tsx';
import './styles/app.css';

const socketUrl = configuredSocketUrl(import.meta.env);
const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      {socketUrl ? (
        <App getSocketUrl={async () => socketUrl} store={createSessionStore(localStorage, sessionStorage)} />
      ) : (
        <Banner tone="error">
          This build does not know where the chat service is. Build it again with VITE_CHAT_WS_URL set to the
          WebSocket URL that `serverless deploy` printed.
        </Banner>
      )}
    </StrictMode>,
  );
}
