import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StatsFrame } from '../../../src/protocol/server-frame.ts';
import { createFakeSockets } from '../testing/fake-socket.ts';
import AdminPage from './AdminPage.tsx';

// uPlot draws on a canvas, which jsdom lacks; the charts are checked in Chromium (test/e2e/admin-page.test.ts).
vi.mock('./SeriesChart.tsx', () => ({ SeriesChart: () => null }));

afterEach(cleanup);

const NOW = Date.parse('2026-11-30T12:30:00Z');

/** A stats frame with one figure whose `turns` value tells the answers apart. */
function stats(since: string, turns: number): StatsFrame {
  return {
    type: 'stats',
    sessionId: null,
    since,
    until: new Date(NOW).toISOString(),
    hours: [],
    figures: [
      {
        id: 'tools',
        title: 'Tool calls',
        description: 'Tool invocations by tool.',
        unit: 'count',
        values: [{ label: 'turns', value: turns }],
        breakdown: [
          { key: 'kb_lookup', value: 2 },
          { key: 'current_time', value: 1 },
        ],
      },
    ],
  };
}

function setup() {
  const sockets = createFakeSockets();
  render(
    <AdminPage
      getSocketUrl={async () => 'ws://stats'}
      createSocket={sockets.create}
      user="ana"
      now={() => NOW}
    />,
  );
  return sockets;
}

/** Waits for the page to open its next socket, opens it and returns the `since` it asked for. */
async function nextRequest(sockets: ReturnType<typeof createFakeSockets>, count: number) {
  await vi.waitFor(() => expect(sockets.all).toHaveLength(count));
  act(() => sockets.latest().open());
  const [frame] = sockets.latest().sent;
  expect(frame).toMatchObject({ action: 'getStats' });
  return (frame as { since: string }).since;
}

describe('AdminPage', () => {
  it('asks for the last 24 hours and shows each figure with its breakdown', async () => {
    const sockets = setup();
    const since = await nextRequest(sockets, 1);
    expect(since).toBe(new Date(NOW - 24 * 3_600_000).toISOString());
    act(() => sockets.latest().receive(stats(since, 7)));
    expect(await screen.findByRole('heading', { name: 'Tool calls' })).toBeTruthy();
    expect(screen.getByText('7')).toBeTruthy();
    const keys = screen.getAllByText(/kb_lookup|current_time/).map((element) => element.textContent);
    expect(keys).toEqual(['kb_lookup', 'current_time']);
  });

  it('shows the range chosen last, even when an earlier answer comes after it', async () => {
    const sockets = setup();
    const user = userEvent.setup();
    const day = await nextRequest(sockets, 1);
    await user.click(screen.getByRole('button', { name: '30 days' }));
    const month = await nextRequest(sockets, 2);
    expect(month).toBe(new Date(NOW - 30 * 86_400_000).toISOString());
    act(() => sockets.all[1]?.receive(stats(month, 30)));
    act(() => sockets.all[0]?.receive(stats(day, 1)));
    expect(await screen.findByText('30')).toBeTruthy();
    expect(screen.queryByText('1', { selector: 'dd' })).toBeNull();
    expect(screen.getByRole('button', { name: '30 days', pressed: true })).toBeTruthy();
  });

  it('tells a user outside the admins group that the page is for admins, and shows no figure', async () => {
    const sockets = setup();
    await nextRequest(sockets, 1);
    act(() =>
      sockets.latest().receive({
        type: 'error',
        sessionId: null,
        code: 'FORBIDDEN',
        message: 'admins only',
        retryable: false,
      }),
    );
    expect((await screen.findByRole('alert')).textContent).toContain(
      'for admins only, and ana is not in the admins group',
    );
    expect(screen.queryByRole('heading', { level: 2 })).toBeNull();
  });
});
