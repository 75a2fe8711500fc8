import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryPanel } from './MemoryPanel.tsx';

afterEach(cleanup);

const memories = {
  type: 'memories' as const,
  sessionId: null,
  max: 30,
  memories: [{ memoryId: 'm-1', text: 'My favourite colour is teal', createdAt: '2026-11-30T05:00:00.000Z' }],
};

describe('MemoryPanel', () => {
  it('asks for the list once when it opens, and closes without an error (its loader returns a boolean)', () => {
    // Like use-chat's requestMemories: true when the request was sent.
    const onLoad = vi.fn(() => true);
    const view = render(
      <MemoryPanel memories={memories} onLoad={onLoad} onDelete={vi.fn()} onClose={vi.fn()} />,
    );
    view.rerender(<MemoryPanel memories={memories} onLoad={onLoad} onDelete={vi.fn()} onClose={vi.fn()} />);

    expect(onLoad).toHaveBeenCalledTimes(1);
    expect(() => view.unmount()).not.toThrow();
  });

  it('deletes one memory by its id, or every memory with Forget everything', async () => {
    const onDelete = vi.fn();
    render(<MemoryPanel memories={memories} onLoad={vi.fn()} onDelete={onDelete} onClose={vi.fn()} />);
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Delete “My favourite colour is teal”' }));
    await user.click(screen.getByRole('button', { name: 'Forget everything' }));

    expect(onDelete.mock.calls).toEqual([['m-1'], []]);
  });
});
