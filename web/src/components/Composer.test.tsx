import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer, MAX_MESSAGE_BYTES } from './Composer.tsx';

afterEach(cleanup);

function renderComposer(props: Partial<Parameters<typeof Composer>[0]> = {}) {
  const onSend = vi.fn(() => true);
  const onStop = vi.fn();
  render(<Composer ready running={false} stopping={false} onSend={onSend} onStop={onStop} {...props} />);
  return { onSend, onStop, input: screen.getByRole('textbox', { name: 'Message' }), user: userEvent.setup() };
}

describe('Composer', () => {
  it('sends the draft with the Send button and clears it', async () => {
    const { onSend, input, user } = renderComposer();
    await user.type(input, 'Hello');

    await user.click(screen.getByRole('button', { name: 'Send' }));

    expect(onSend).toHaveBeenCalledWith('Hello');
    expect(input).toHaveProperty('value', '');
  });

  it('keeps the draft when it could not be sent', async () => {
    const { onSend, input, user } = renderComposer();
    onSend.mockReturnValue(false);

    await user.type(input, 'Hello{Enter}');

    expect(input).toHaveProperty('value', 'Hello');
  });

  it('does not send while an input method is composing', () => {
    const { onSend, input } = renderComposer();
    fireEvent.change(input, { target: { value: 'にほん' } });

    fireEvent.keyDown(input, { key: 'Enter', isComposing: true });

    expect(onSend).not.toHaveBeenCalled();
  });

  it('will not send an empty draft or one over the size limit, and says why', async () => {
    const { input } = renderComposer();
    const send = screen.getByRole('button', { name: 'Send' });
    expect(send).toHaveProperty('disabled', true);

    fireEvent.change(input, { target: { value: 'é'.repeat(MAX_MESSAGE_BYTES / 2 + 1) } });

    expect(send).toHaveProperty('disabled', true);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Too long: 16\.0 KB of 16 KB/)).toBeTruthy();
  });

  it('waits for the connection before it lets anything be sent', () => {
    renderComposer({ ready: false });

    expect(screen.getByText('Waiting for the connection…')).toBeTruthy();
  });

  it('lets the next question be written while an answer runs, not sent, and offers Stop instead of Send', async () => {
    const { onSend, onStop, input, user } = renderComposer({ running: true });

    await user.type(input, 'Next one{Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect(input).toHaveProperty('value', 'Next one');
    expect(screen.getByText(/You can write your next question meanwhile/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Stop' }));
    expect(onStop).toHaveBeenCalledTimes(1);
  });

  it('moves the focus from Send to Stop when Send is what started the answer, and back after', async () => {
    const view = render(
      <Composer ready running={false} stopping={false} onSend={() => true} onStop={() => {}} />,
    );
    fireEvent.change(screen.getByRole('textbox', { name: 'Message' }), { target: { value: 'Hi' } });
    screen.getByRole('button', { name: 'Send' }).focus();
    // The focused Send turns into Stop: without a move, the focus would fall to the page.
    view.rerender(<Composer ready running stopping={false} onSend={() => true} onStop={() => {}} />);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Stop' }));
    view.rerender(<Composer ready running={false} stopping={false} onSend={() => true} onStop={() => {}} />);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Message' }));
  });

  it('on a touch screen, adds a new line on Enter and sends with the button, and says so', async () => {
    const matchMedia = vi.fn((query: string) => ({ matches: query === '(pointer: coarse)' }));
    vi.stubGlobal('matchMedia', matchMedia);
    try {
      const { onSend, input, user } = renderComposer();
      expect(screen.getByText('Tap Send to send; Enter starts a new line.')).toBeTruthy();

      await user.type(input, 'Line one{Enter}line two');
      expect(onSend).not.toHaveBeenCalled();
      expect(input).toHaveProperty('value', 'Line one\nline two');
      await user.click(screen.getByRole('button', { name: 'Send' }));
      expect(onSend).toHaveBeenCalledWith('Line one\nline two');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
