import { useCallback, useEffect, useRef, useState } from 'react';
import type { CreateSocket } from '../chat/use-chat-socket.ts';
import { Banner } from '../components/Banner.tsx';
import { FigureCard } from './FigureCard.tsx';
import { requestStats, type StatsResult } from './request-stats.ts';

const RANGES = [
  { id: '24h', label: '24 hours', ms: 24 * 3_600_000 },
  { id: '7d', label: '7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 days', ms: 30 * 86_400_000 },
] as const;

export interface AdminPageProps {
  getSocketUrl: () => Promise<string>;
  createSocket?: CreateSocket;
  user?: string;
  now?: () => number;
}

/**
 * `/admin`: every usage figure of the chosen range, from the admin-only `getStats` action. Loaded only on this
 * path (with its charting library), never with the chat.
 */
export default function AdminPage({ getSocketUrl, createSocket, user, now = Date.now }: AdminPageProps) {
  const [range, setRange] = useState<(typeof RANGES)[number]>(RANGES[0]);
  const [result, setResult] = useState<StatsResult>();
  const [loading, setLoading] = useState(true);
  // Only the latest request may show its answer: a slow 30-day answer must not replace a later 24-hour one.
  const latest = useRef(0);

  const load = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    const since = new Date(now() - range.ms).toISOString();
    const answer = await requestStats(await getSocketUrl(), { since }, { createSocket });
    if (request !== latest.current) return;
    setResult(answer);
    setLoading(false);
  }, [range, getSocketUrl, createSocket, now]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="admin">
      <header className="admin-header">
        <h1>Usage</h1>
        <fieldset className="admin-ranges" aria-label="Range">
          {RANGES.map((option) => (
            <button
              key={option.id}
              type="button"
              className="button-secondary"
              aria-pressed={option.id === range.id}
              onClick={() => setRange(option)}
            >
              {option.label}
            </button>
          ))}
        </fieldset>
        <button type="button" className="button-secondary" onClick={() => void load()} disabled={loading}>
          Refresh
        </button>
        <a className="admin-chat-link" href="/">
          Chat
        </a>
        {user && <span className="chat-user">{user}</span>}
      </header>
      <main className="admin-main" aria-busy={loading}>
        {loading && !result && <p className="loading">Loading the statistics…</p>}
        {result && !result.ok && (
          <Banner tone="error">
            {result.code === 'FORBIDDEN'
              ? `This page is for admins only${user ? `, and ${user} is not in the admins group` : ''}.`
              : `The statistics could not be loaded: ${result.message}`}
          </Banner>
        )}
        {result?.ok && (
          <>
            <p className="admin-range">
              {new Date(result.frame.since).toLocaleString()} –{' '}
              {new Date(result.frame.until).toLocaleString()}
            </p>
            <div className="figures">
              {result.frame.figures.map((figure) => (
                <FigureCard key={figure.id} figure={figure} hours={result.frame.hours} />
              ))}
            </div>
          </>
        )}
      </main>
    </div>
  );
}
