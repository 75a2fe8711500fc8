import { type ComponentProps, isValidElement, useRef } from 'react';
import type { ExtraProps } from 'react-markdown';
import { useCopy } from './use-copy.ts';

/** A fenced code block with its language and a Copy button. */
export function CodeBlock({ node: _node, children, ...props }: ComponentProps<'pre'> & ExtraProps) {
  const preRef = useRef<HTMLPreElement>(null);
  const { copied, copy: copyText } = useCopy();
  const language = languageOf(children);
  const copy = () => copyText(preRef.current?.textContent ?? '');

  return (
    <div className="code-block">
      <div className="code-toolbar">
        <span>{language ?? 'code'}</span>
        <button
          type="button"
          className="code-copy"
          onClick={copy}
          aria-label={copied ? 'Copied' : 'Copy code'}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre ref={preRef} {...props}>
        {children}
      </pre>
    </div>
  );
}

/** The language a fenced block names (```ts), from its code element's `language-*` class. */
function languageOf(children: unknown): string | undefined {
  if (!isValidElement<{ className?: string }>(children)) return undefined;
  return /\blanguage-([\w+#-]+)/.exec(children.props.className ?? '')?.[1];
}
