import type { ComponentProps } from 'react';
import type { ExtraProps } from 'react-markdown';

/** Links in answers open in a new tab, so following one never leaves the chat. */
export function ExternalLink({ node: _node, children, ...props }: ComponentProps<'a'> & ExtraProps) {
  return (
    <a {...props} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}
