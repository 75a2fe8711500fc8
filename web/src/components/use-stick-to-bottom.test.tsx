import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useStickToBottom } from './use-stick-to-bottom.ts';

afterEach(cleanup);

function Scroller({ lines }: { lines: number }) {
  const scroll = useStickToBottom<HTMLDivElement>();
  return (
    <div data-testid="scroller" ref={scroll.ref} onScroll={scroll.onScroll}>
      {Array.from({ length: lines }, (_, index) => `line ${index}`).map((line) => (
        <p key={line}>{line}</p>
      ))}
      {!scroll.atBottom && (
        <button type="button" onClick={scroll.jumpToLatest}>
          Jump to latest
        </button>
      )}
    </div>
  );
}

/** jsdom lays nothing out: 100 px of view, 50 px a line. */
function layOut(element: HTMLElement) {
  Object.defineProperty(element, 'clientHeight', { configurable: true, get: () => 100 });
  Object.defineProperty(element, 'scrollHeight', {
    configurable: true,
    get: () => element.querySelectorAll('p').length * 50,
  });
}

describe('useStickToBottom', () => {
  it('follows new content at the bottom, stops while the reader is scrolled up, and jumps back on request', async () => {
    const view = render(<Scroller lines={4} />);
    const scroller = screen.getByTestId('scroller');
    layOut(scroller);
    view.rerender(<Scroller lines={5} />);
    await act(async () => {});
    expect(scroller.scrollTop).toBe(250);
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull();

    // Scrolled up to read: new lines no longer pull the view down, and the button offers the way back.
    scroller.scrollTop = 0;
    fireEvent.scroll(scroller);
    view.rerender(<Scroller lines={6} />);
    await act(async () => {});
    expect(scroller.scrollTop).toBe(0);

    fireEvent.click(screen.getByRole('button', { name: 'Jump to latest' }));
    expect(scroller.scrollTop).toBe(300);
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull();
  });
});
