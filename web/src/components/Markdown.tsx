import { memo } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { CodeBlock } from './CodeBlock.tsx';
import { ExternalLink } from './ExternalLink.tsx';
import { ImageLink } from './ImageLink.tsx';
import { useRehypePlugins } from './use-rehype-plugins.ts';

const remarkPlugins = [remarkGfm];
const components: Components = { a: ExternalLink, img: ImageLink, pre: CodeBlock };

/**
 * An answer as GitHub-flavoured Markdown. Raw HTML is shown as text, unsafe link schemes are dropped, and images
 * become links: nothing in an answer makes the browser fetch anything by itself.
 */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  // Code is highlighted only in blocks that name their language: guessing would cost time on every frame.
  const rehypePlugins = useRehypePlugins(text);
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
