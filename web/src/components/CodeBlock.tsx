import { type ComponentProps, isValidElement, useRef, useState } from 'react';
import type { ExtraProps } from 'react-markdown';

/** A fenced code block with its language and a Copy button. */
export function CodeBlock({ node: _node, children, ...props }: ComponentProps<'pre'> & ExtraProps) {
  const preRef = useRef<HTMLPreElement>(null);
  const [copied, setCopied] = useState(false);
  const language = languageOf(children);

  const copy = () => {
    navigator.clipboard.writeText(preRef.current?.textContent ?? '').then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1_500);
      },
      () => setCopied(false),
    );
  };

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
