import type { Source } from '../../../src/protocol/server-frame.ts';

/** The few mdast fields this plugin reads and writes. */
interface MdNode {
  type: string;
  value?: string;
  url?: string;
  children?: MdNode[];
  data?: { hProperties?: Record<string, unknown> };
}

/** `[1]`, `[1, 2]`; the server reads citations the same way (src/chat/citations/cited-numbers.ts). */
const CITATION = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

/** Every citation target's id starts with this; the chips are recognised by it (ExternalLink.tsx). */
export const CITATION_ANCHOR_PREFIX = 'source-';

export interface CitationOptions {
  /** The answer's sources by number; a citation of any other number is not shown. */
  sources: ReadonlyMap<number, Source>;
  /** The id of the element that lists source `n` (starting with CITATION_ANCHOR_PREFIX), for the chip. */
  anchorOf: (n: number) => string;
}

/**
 * A remark plugin that turns `[n]` in an answer's prose into numbered citation chips: in-page links to the
 * source in the list under the answer. Code, and the text of links, are left alone. A number that is not one
 * of the answer's sources (the server drops citations of passages the turn never retrieved) is removed.
 */
export function remarkCitations(options: CitationOptions) {
  return (tree: MdNode) => {
    rewrite(tree, options);
  };
}

function rewrite(node: MdNode, options: CitationOptions): void {
  if (!node.children || node.type === 'link' || node.type === 'linkReference') return;
  node.children = node.children.flatMap((child) => {
    if (child.type === 'text' && child.value) return splitCitations(child.value, options);
    rewrite(child, options);
    return [child];
  });
}

function splitCitations(text: string, options: CitationOptions): MdNode[] {
  const nodes: MdNode[] = [];
  let from = 0;
  for (const match of text.matchAll(CITATION)) {
    const at = match.index ?? 0;
    if (at > from) nodes.push({ type: 'text', value: text.slice(from, at) });
    for (const part of (match[1] ?? '').split(',')) {
      const source = options.sources.get(Number(part.trim()));
      if (source) nodes.push(chip(source, options));
    }
    from = at + match[0].length;
  }
  if (from === 0) return [{ type: 'text', value: text }];
  if (from < text.length) nodes.push({ type: 'text', value: text.slice(from) });
  return nodes;
}

function chip(source: Source, options: CitationOptions): MdNode {
  return {
    type: 'link',
    url: `#${options.anchorOf(source.n)}`,
    children: [{ type: 'text', value: String(source.n) }],
    data: {
      hProperties: {
        className: ['citation'],
        'aria-label': `Source ${source.n}: ${source.title}`,
        title: source.title,
      },
    },
  };
}
