import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { configuredSignIn } from './auth/configured-sign-in.ts';
import type { SignIn } from './auth/sign-in.ts';
import { createRegionFailover, type RegionFailover } from './chat/region-failover.ts';
import { measureConnectLatency, rankByLatency } from './chat/region-latency.ts';
import { createSessionStore } from './chat/session-store.ts';
import { configuredEndpoints, type RegionEndpoint, withToken } from './chat/socket-url.ts';
import { Banner } from './components/Banner.tsx';
import './styles/app.css';
import './styles/attachments.css';

/** The admin page and its charting library load only on /admin (a chunk of their own). */
const AdminPage = lazy(() => import('./admin/AdminPage.tsx'));
/** The agent console (/agent, people who take conversations handed off by the assistant), a chunk of its own. */
const AgentPage = lazy(() => import('./agent/AgentPage.tsx'));

const root = document.getElementById('root');
if (root) createRoot(root).render(<StrictMode>{await startApp()}</StrictMode>);

async function startApp() {
  const endpoints = configuredEndpoints(import.meta.env);
  if (endpoints.length === 0) {
    return (
      <Banner tone="error">
        This build does not know where the chat service is. Build it again with VITE_CHAT_WS_URL set to the
        WebSocket URL that `serverless deploy` printed.
      </Banner>
    );
  }
  let signIn: SignIn | undefined;
  try {
    signIn = configuredSignIn(import.meta.env, window);
    await signIn?.completeSignIn?.();
  } catch (error) {
    return (
      <Banner tone="error">
        Signing in failed: {(error as Error).message} Reload the page to try again.
      </Banner>
    );
  }
  const authorize = async (url: string) => (signIn ? withToken(url, await signIn.getToken()) : url);
  const regions = endpoints.length > 1 ? createRegionFailover(endpoints) : undefined;
  const ranking = regions && rankRegions(endpoints, regions, authorize);
  const getSocketUrl = async () => {
    await ranking;
    return authorize((regions?.current() ?? (endpoints[0] as RegionEndpoint)).url);
  };
  if (isAdminPath(window.location.pathname)) {
    return (
      <Suspense fallback={<p className="loading">Loading…</p>}>
        <AdminPage getSocketUrl={getSocketUrl} user={signIn?.user} />
      </Suspense>
    );
  }
  if (isAgentPath(window.location.pathname)) {
    return (
      <Suspense fallback={<p className="loading">Loading…</p>}>
        <AgentPage getSocketUrl={getSocketUrl} user={signIn?.user} />
      </Suspense>
    );
  }
  return (
    <App
      getSocketUrl={getSocketUrl}
      regions={regions}
      store={createSessionStore(localStorage, sessionStorage)}
      user={signIn?.user}
      onSignOut={signIn?.signOut}
    />
  );
}

function isAdminPath(pathname: string): boolean {
  return pathname.replace(/\/+$/, '') === '/admin';
}

function isAgentPath(pathname: string): boolean {
  return pathname.replace(/\/+$/, '') === '/agent';
}

/** With several regions, the nearest first: the one that opens a WebSocket fastest right now. */
async function rankRegions(
  endpoints: RegionEndpoint[],
  regions: RegionFailover,
  authorize: (url: string) => Promise<string>,
): Promise<void> {
  const latencies = await measureConnectLatency(endpoints, {
    urlOf: (endpoint) => authorize(endpoint.url),
    createSocket: (url) => new WebSocket(url),
  });
  regions.rank(rankByLatency(endpoints, latencies));
}
