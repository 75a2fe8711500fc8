import { memo, useMemo } from 'react';
import ReactMarkdown, { type Components, type Options } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import type { Source } from '../../../src/protocol/server-frame.ts';
import { CodeBlock } from './CodeBlock.tsx';
import { ExternalLink } from './ExternalLink.tsx';
import { ImageLink } from './ImageLink.tsx';
import { remarkCitations } from './remark-citations.ts';
import { useRehypePlugins } from './use-rehype-plugins.ts';

const remarkPlugins: NonNullable<Options['remarkPlugins']> = [remarkGfm];
const components: Components = { a: ExternalLink, img: ImageLink, pre: CodeBlock };

interface MarkdownProps {
  text: string;
  /**
   * Set for an answer that searched the knowledge base: its `[n]` citations become chips linking to
   * `anchorOf(n)`, and citations of anything but these sources are not shown.
   */
  citations?: { sources: Source[]; anchorOf: (n: number) => string };
}

/**
 * An answer as GitHub-flavoured Markdown. Raw HTML is shown as text, unsafe link schemes are dropped, and images
 * become links: nothing in an answer makes the browser fetch anything by itself.
 */
export const Markdown = memo(function Markdown({ text, citations }: MarkdownProps) {
  // Code is highlighted only in blocks that name their language: guessing would cost time on every frame.
  const rehypePlugins = useRehypePlugins(text);
  const plugins = useMemo(() => {
    if (!citations) return remarkPlugins;
    const sources = new Map(citations.sources.map((source) => [source.n, source]));
    return [
      ...remarkPlugins,
      [remarkCitations, { sources, anchorOf: citations.anchorOf }],
    ] as typeof remarkPlugins;
  }, [citations]);
  return (
    <div className="markdown">
      <ReactMarkdown remarkPlugins={plugins} rehypePlugins={rehypePlugins} components={components}>
        {text}
      </ReactMarkdown>
    </div>
  );
});
