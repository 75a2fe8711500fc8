import type { ComponentProps } from 'react';
import type { ExtraProps } from 'react-markdown';
import { CITATION_ANCHOR_PREFIX } from './remark-citations.ts';

/**
 * Links in answers open in a new tab, so following one never leaves the chat. A citation chip (made by
 * remark-citations.ts) is a button that moves the focus to its source under the answer.
 */
export function ExternalLink({ node: _node, children, ...props }: ComponentProps<'a'> & ExtraProps) {
  const { href } = props;
  if (typeof href === 'string' && href.startsWith(`#${CITATION_ANCHOR_PREFIX}`)) {
    return (
      <button
        type="button"
        className="citation"
        aria-label={props['aria-label']}
        title={props.title}
        onClick={() => focusSource(href.slice(1))}
      >
        {children}
      </button>
    );
  }
  return (
    <a {...props} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

function focusSource(id: string) {
  const target = document.getElementById(id);
  target?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  target?.focus({ preventScroll: true });
}
