import type { Source } from '../../../src/protocol/server-frame.ts';

/**
 * The sources an answer cites, by number: title (a link when the document has a web address), snippet and
 * where the document lives. Each item is the target of its citation chips, so it can take the focus.
 */
export function SourceList({ sources, anchorOf }: { sources: Source[]; anchorOf: (n: number) => string }) {
  if (sources.length === 0) return null;
  return (
    <section className="sources" aria-label="Sources">
      <h3 className="sources-title">Sources</h3>
      <ol className="source-list">
        {sources.map((source) => (
          <li key={source.n} id={anchorOf(source.n)} className="source" tabIndex={-1}>
            <span className="source-number" aria-hidden="true">
              {source.n}
            </span>
            <div className="source-body">
              <SourceTitle source={source} />
              <p className="source-snippet">{source.snippet}</p>
              <p className="source-uri">{source.uri}</p>
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}

function SourceTitle({ source }: { source: Source }) {
  const url = webAddress(source.url);
  if (!url) return <span className="source-name">{source.title}</span>;
  return (
    <a className="source-name" href={url} target="_blank" rel="noopener noreferrer">
      {source.title}
    </a>
  );
}

/** Only http(s) addresses become links: a source's URL comes from document metadata, which anyone may write. */
function webAddress(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
