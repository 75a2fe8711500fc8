import { memo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeHighlight from 'rehype-highlight';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './CodeBlock.tsx';
import { ExternalLink } from './ExternalLink.tsx';

const remarkPlugins = [remarkGfm];
// Only fenced blocks that name their language are highlighted: guessing costs time on every streamed frame.
const rehypePlugins = [rehypeHighlight];
const components: Components = { a: ExternalLink, pre: CodeBlock };

/** An answer as GitHub-flavoured Markdown. Raw HTML is shown as text and unsafe link schemes are dropped. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
