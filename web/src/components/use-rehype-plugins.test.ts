import { renderHook, waitFor } from '@testing-library/react';
import { expect, it } from 'vitest';
import { useRehypePlugins } from './use-rehype-plugins.ts';

// In order: the highlighter, once loaded, stays loaded for the page.
it('loads no highlighter while answers hold no fenced code block', async () => {
  const { result, rerender } = renderHook(({ text }) => useRehypePlugins(text), {
    initialProps: { text: 'Plain `inline` code.\n\n    indented code, no language' },
  });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(result.current).toEqual([]);

  rerender({ text: 'Now:\n\n```ts\nconst x = 1;\n```' });

  await waitFor(() => expect(result.current).toHaveLength(1));
});

it('gives the loaded highlighter to answers rendered later at once', () => {
  const { result } = renderHook(() => useRehypePlugins('no code here'));

  expect(result.current).toHaveLength(1);
});
