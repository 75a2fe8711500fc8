import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** A retrievable chunk: one markdown section of one document. */
export interface KnowledgeChunk {
  id: string;
  /** As a Bedrock knowledge base on OpenSearch names chunks: `1%3A0%3A` and a 20-character document id. */
  chunkId: string;
  document: string;
  heading: string;
  text: string;
  uri: string;
  /** The document's `metadataAttributes` (from `<document>.metadata.json`, as for an S3 data source). */
  attributes: Record<string, unknown>;
}

export interface ScoredChunk extends KnowledgeChunk {
  /** BM25 normalised into (0, 1): bm25 / (bm25 + SCORE_HALF_POINT). */
  score: number;
  bm25: number;
}

export interface RetrieveOptions {
  /** SEMANTIC (the default) ranks by meaning; HYBRID mixes in keyword matching, as Bedrock's hybrid search. */
  searchType?: 'SEMANTIC' | 'HYBRID';
  /** Only chunks whose metadata passes (Bedrock's pre-filter), e.g. from a `RetrievalFilter`. */
  filter?: (metadata: Record<string, unknown>) => boolean;
}

export interface LocalKnowledgeBase {
  readonly chunks: readonly KnowledgeChunk[];
  /** Keyword search (BM25): only chunks sharing a term with the query. The scripted model's relevance test. */
  search(query: string, limit: number): ScoredChunk[];
  /**
   * Retrieve as a vector index answers it: always the `limit` nearest chunks that pass the filter, however far
   * off topic, scored on a cosine-similarity scale (off-topic around 0.3 to 0.4, a good match 0.55 and up).
   */
  retrieve(query: string, limit: number, options?: RetrieveOptions): ScoredChunk[];
}

/** The metadata Bedrock stores with every chunk, plus the document's own attributes. */
export function chunkMetadata(chunk: KnowledgeChunk): Record<string, unknown> {
  return {
    ...chunk.attributes,
    'x-amz-bedrock-kb-source-uri': chunk.uri,
    'x-amz-bedrock-kb-chunk-id': chunk.chunkId,
    'x-amz-bedrock-kb-data-source-id': LOCAL_DATA_SOURCE_ID,
  };
}

/** Ten upper-case letters and digits, like a real data source id. */
export const LOCAL_DATA_SOURCE_ID = 'LOCALDS001';

const K1 = 1.2;
const B = 0.75;
/** The BM25 value that maps to a score of 0.5. */
const SCORE_HALF_POINT = 6;

const STOP_WORDS = new Set(
  'a an and are as at be by can do does for from how i if in is it its me my of on or our please so that the this to was we what when where which who why will with you your'.split(
    ' ',
  ),
);

/**
 * An in-memory knowledge base over markdown files, ranked with Okapi BM25 (k1 = 1.2, b = 0.75). Each `##`
 * section is a chunk, as a Bedrock Knowledge Base with hierarchical chunking would store it.
 */
export function createLocalKnowledgeBase(
  documents: Array<{ name: string; markdown: string; attributes?: Record<string, unknown> }>,
): LocalKnowledgeBase {
  const chunks = documents.flatMap(({ name, markdown, attributes }) =>
    chunkMarkdown(name, markdown, attributes ?? {}),
  );
  const vectors = chunks.map((chunk) => trigramVector(`${chunk.heading} ${chunk.text}`));
  const terms = chunks.map((chunk) => tokenize(`${chunk.heading} ${chunk.text}`));
  const averageLength = terms.reduce((sum, t) => sum + t.length, 0) / Math.max(1, terms.length);
  const documentFrequency = new Map<string, number>();
  for (const chunkTerms of terms) {
    for (const term of new Set(chunkTerms))
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const counts = terms.map((chunkTerms) => {
    const map = new Map<string, number>();
    for (const term of chunkTerms) map.set(term, (map.get(term) ?? 0) + 1);
    return map;
  });

  const idf = (term: string) => {
    const n = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (chunks.length - n + 0.5) / (n + 0.5));
  };

  const bm25Of = (queryTerms: string[], index: number) => {
    const length = terms[index]?.length ?? 0;
    let bm25 = 0;
    for (const term of queryTerms) {
      const frequency = counts[index]?.get(term) ?? 0;
      if (frequency === 0) continue;
      bm25 += (idf(term) * frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * length) / averageLength));
    }
    return bm25;
  };

  return {
    chunks,
    search(query, limit) {
      const queryTerms = [...new Set(tokenize(query))];
      return chunks
        .map((chunk, index) => {
          const bm25 = bm25Of(queryTerms, index);
          return { ...chunk, bm25, score: bm25 / (bm25 + SCORE_HALF_POINT) };
        })
        .filter((chunk) => chunk.bm25 > 0)
        .sort((a, b) => b.bm25 - a.bm25 || a.id.localeCompare(b.id))
        .slice(0, limit);
    },
    retrieve(query, limit, options = {}) {
      const queryTerms = [...new Set(tokenize(query))];
      const queryVector = trigramVector(query);
      const keywordWeight = options.searchType === 'HYBRID' ? 0.6 : 0.35;
      return chunks
        .map((chunk, index) => {
          const bm25 = bm25Of(queryTerms, index);
          const keyword = bm25 / (bm25 + SCORE_HALF_POINT);
          const meaning = cosine(queryVector, vectors[index] as Map<string, number>);
          const closeness = keywordWeight * keyword + (1 - keywordWeight) * meaning;
          return { ...chunk, bm25, score: Number((0.3 + 0.55 * closeness).toFixed(6)) };
        })
        .filter((chunk) => !options.filter || options.filter(chunkMetadata(chunk)))
        .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
        .slice(0, limit);
    },
  };
}

/** Character trigrams of the stemmed words: a crude embedding, so that every chunk has some similarity. */
function trigramVector(text: string): Map<string, number> {
  const vector = new Map<string, number>();
  for (const word of tokenize(text)) {
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const gram = padded.slice(i, i + 3);
      vector.set(gram, (vector.get(gram) ?? 0) + 1);
    }
  }
  return vector;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [gram, weight] of a) dot += weight * (b.get(gram) ?? 0);
  if (dot === 0) return 0;
  const norm = (v: Map<string, number>) => Math.sqrt([...v.values()].reduce((sum, w) => sum + w * w, 0));
  return dot / (norm(a) * norm(b));
}

export function loadKnowledgeBase(directory: string): LocalKnowledgeBase {
  const files = readdirSync(directory)
    .filter((file) => file.endsWith('.md'))
    .sort();
  return createLocalKnowledgeBase(
    files.map((file) => ({
      name: file,
      markdown: readFileSync(join(directory, file), 'utf8'),
      attributes: metadataAttributes(join(directory, `${file}.metadata.json`)),
    })),
  );
}

/** `<document>.metadata.json` holds `{ "metadataAttributes": { … } }`, as beside a document in S3. */
function metadataAttributes(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { metadataAttributes?: Record<string, unknown> };
  return parsed.metadataAttributes ?? {};
}

function chunkMarkdown(
  name: string,
  markdown: string,
  attributes: Record<string, unknown>,
): KnowledgeChunk[] {
  const document = basename(name);
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? document;
  const sections = markdown.split(/^(?=##\s)/m);
  return sections.flatMap((section, index) => {
    const heading = /^##\s+(.+)$/m.exec(section)?.[1]?.trim() ?? title;
    const text = section
      .replace(/^#{1,6}\s+.*$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    if (text === '') return [];
    const id = `${document}#${index}`;
    const documentId = createHash('sha256').update(id).digest('base64url').slice(0, 20);
    return [
      {
        id,
        chunkId: `1%3A0%3A${documentId}`,
        document,
        heading,
        text,
        uri: `s3://local-knowledge-base/${document}`,
        attributes,
      },
    ];
  });
}

/** Lower-case words without stop words, with a light plural/verb-ending stem so "resets" finds "reset". */
export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .match(/[a-z0-9]+/g) ?? []
  )
    .filter((word) => !STOP_WORDS.has(word))
    .map(stem);
}

function stem(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 5 && word.endsWith('ing')) return undouble(word.slice(0, -3));
  if (word.length > 4 && word.endsWith('ed')) return undouble(word.slice(0, -2));
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** "resetting" → "resett" → "reset", "stopped" → "stopp" → "stop"; but "installing" keeps "install". */
function undouble(stemmed: string): string {
  return /([b-df-hj-km-np-rtv-z])\1$/.test(stemmed) && !/(ll|ss|zz)$/.test(stemmed)
    ? stemmed.slice(0, -1)
    : stemmed;
}
