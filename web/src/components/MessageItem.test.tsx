import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Source } from '../../../src/protocol/server-frame.ts';
import type { ChatMessage } from '../chat/conversation.ts';
import { MessageItem } from './MessageItem.tsx';

afterEach(cleanup);

const sources: Source[] = [
  {
    n: 1,
    passageId: '1%3A0%3Aabc',
    title: 'Account security',
    uri: 's3://kb/account-security.md',
    url: 'https://docs.example.com/account-security',
    snippet: 'To reset your password, open the sign-in page.',
    score: 0.66,
  },
  {
    n: 2,
    passageId: '1%3A0%3Adef',
    title: 'Admin guide',
    uri: 's3://kb/admin.md',
    url: 'javascript:alert(1)',
    snippet: 'Admins can send a new link.',
    score: 0.5,
  },
];

const answer = (overrides: Partial<ChatMessage> = {}): ChatMessage => ({
  id: 'turn-1',
  role: 'assistant',
  text: 'Choose "Forgot password" [1]. An admin can help [2]. Not retrieved [7]. Code: `a[1]`.',
  tools: ['kb_lookup'],
  sources,
  ...overrides,
});

describe('an answer that cites the knowledge base', () => {
  it('shows numbered citation chips in the text, and hides a citation that is not one of its sources', () => {
    render(<MessageItem message={answer()} />);
    const text = document.querySelector('.answer') as HTMLElement;

    const chips = within(text).getAllByRole('button');
    expect(chips.map((chip) => [chip.textContent, chip.getAttribute('aria-label')])).toEqual([
      ['1', 'Source 1: Account security'],
      ['2', 'Source 2: Admin guide'],
    ]);
    expect(text.textContent).not.toContain('[7]');
    expect(text.textContent).not.toContain('7');
    expect(within(text).getByText('a[1]').tagName).toBe('CODE');
  });

  it('lists its sources under the answer with title, snippet and location; only http(s) titles are links', () => {
    render(<MessageItem message={answer()} />);
    const list = screen.getByRole('region', { name: 'Sources' });

    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringContaining('Account security'),
      expect.stringContaining('Admin guide'),
    ]);
    expect(items[0]?.textContent).toContain('To reset your password, open the sign-in page.');
    expect(items[0]?.textContent).toContain('s3://kb/account-security.md');
    const link = within(list).getByRole('link', { name: 'Account security' });
    expect(link.getAttribute('href')).toBe('https://docs.example.com/account-security');
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(within(list).queryByRole('link', { name: 'Admin guide' })).toBeNull();
  });

  it('moves the focus to the source when a chip is followed, by mouse or keyboard', async () => {
    const user = userEvent.setup();
    render(<MessageItem message={answer()} />);
    const [first, second] = within(document.querySelector('.answer') as HTMLElement).getAllByRole('button');

    await user.click(second as HTMLElement);
    expect(document.activeElement?.textContent).toContain('Admin guide');

    (first as HTMLElement).focus();
    await user.keyboard('{Enter}');
    expect(document.activeElement?.id).toBe('source-turn-1-1');
  });

  it('names the knowledge base in words on its tool chip', () => {
    render(<MessageItem message={answer()} />);
    expect(screen.getByRole('list', { name: 'Tools used' }).textContent).toBe('Knowledge base');
  });

  it('leaves [n] alone in an answer that did not search the knowledge base', () => {
    render(<MessageItem message={answer({ tools: [], sources: undefined, text: 'Use arr[1] here.' })} />);
    expect(screen.getByText('Use arr[1] here.')).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Sources' })).toBeNull();
  });
});

describe('versions and editing of a question', () => {
  const question = (overrides: Partial<ChatMessage> = {}): ChatMessage => ({
    id: 'q-1',
    role: 'user',
    text: 'What is a fern?',
    tools: [],
    turnId: 'turn-1',
    ...overrides,
  });

  it('shows < 2/3 > with labelled buttons that switch to the neighbouring versions', async () => {
    const switched: number[] = [];
    render(
      <MessageItem
        message={question({ siblings: { index: 1, count: 3 } })}
        onSwitchVersion={(index) => switched.push(index)}
      />,
    );
    expect(screen.getByRole('group', { name: 'Version 2 of 3' }).textContent).toContain('2/3');
    await userEvent.click(screen.getByRole('button', { name: 'Previous version' }));
    await userEvent.click(screen.getByRole('button', { name: 'Next version' }));
    expect(switched).toEqual([0, 2]);
  });

  it('disables the arrows at the ends and while switching is not possible', () => {
    render(<MessageItem message={question({ siblings: { index: 0, count: 2 } })} />);
    expect(screen.getByRole('button', { name: 'Previous version' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Next version' })).toHaveProperty('disabled', true);
  });

  it('edits in place from the keyboard: Save & send sends the edited text, Escape cancels', async () => {
    const sent: string[] = [];
    render(<MessageItem message={question()} onEdit={(text) => sent.push(text)} />);

    await userEvent.click(screen.getByRole('button', { name: 'Edit question' }));
    const editor = screen.getByRole('textbox', { name: 'Edit your question' });
    expect(document.activeElement).toBe(editor);
    expect(screen.getByRole('button', { name: 'Save & send' })).toHaveProperty('disabled', true);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('textbox')).toBeNull();
    expect(screen.getByText('What is a fern?')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Edit question' }));
    await userEvent.clear(screen.getByRole('textbox', { name: 'Edit your question' }));
    await userEvent.type(screen.getByRole('textbox', { name: 'Edit your question' }), 'What is a moss?');
    await userEvent.click(screen.getByRole('button', { name: 'Save & send' }));
    expect(sent).toEqual(['What is a moss?']);
  });

  it('offers no Edit while it cannot be sent (an answer streams)', () => {
    render(<MessageItem message={question()} />);
    expect(screen.queryByRole('button', { name: 'Edit question' })).toBeNull();
  });

  it('offers Regenerate on an answer only when asked to', async () => {
    let regenerated = 0;
    render(<MessageItem message={answer({ tools: [] })} onRegenerate={() => regenerated++} />);
    await userEvent.click(screen.getByRole('button', { name: 'Regenerate answer' }));
    expect(regenerated).toBe(1);
    cleanup();
    render(<MessageItem message={answer({ tools: [] })} />);
    expect(screen.queryByRole('button', { name: 'Regenerate answer' })).toBeNull();
  });
});
