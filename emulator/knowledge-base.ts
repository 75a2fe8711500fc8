import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createBm25Index } from './bm25-index.ts';
import { chunkFixedSize, DEFAULT_CHUNKING, type FixedSizeChunking } from './fixed-size-chunking.ts';
import { reciprocalRankFusion } from './reciprocal-rank-fusion.ts';
import { tokenize } from './search-terms.ts';
import { cosineSimilarity, createSemanticStandIn } from './semantic-stand-in.ts';

/** A retrievable chunk: about 300 tokens of one document, as Bedrock's default chunking cuts it. */
export interface KnowledgeChunk {
  /** `<document>#<n>`: the n-th chunk of the document. */
  id: string;
  /** As a Bedrock knowledge base on OpenSearch names chunks: `1%3A0%3A` and a 20-character document id. */
  chunkId: string;
  document: string;
  /** The markdown heading the chunk starts under (or its first heading, or the document's title). */
  heading: string;
  text: string;
  uri: string;
  /** The document's `metadataAttributes` (from `<document>.metadata.json`, as for an S3 data source). */
  attributes: Record<string, unknown>;
}

export interface ScoredChunk extends KnowledgeChunk {
  /** On Bedrock's scale: 0 to 1, higher is closer (see `retrieve`). */
  score: number;
  bm25: number;
  /** The share of the query's term weight (idf) this chunk contains, 0 to 1 (bm25-index.ts). */
  matchedShare: number;
}

/**
 * SEMANTIC ranks by the semantic stand-in (the default, as for a vector store without keyword search); HYBRID
 * fuses it with BM25 by reciprocal rank fusion, as Bedrock's hybrid search on OpenSearch mixes keywords in;
 * LEXICAL is BM25 alone, a baseline for the evaluation that Bedrock does not offer.
 */
export type SearchType = 'SEMANTIC' | 'HYBRID' | 'LEXICAL';

export interface RetrieveOptions {
  searchType?: SearchType;
  /** Only chunks whose metadata passes (Bedrock's pre-filter), e.g. from a `RetrievalFilter`. */
  filter?: (metadata: Record<string, unknown>) => boolean;
}

export interface LocalKnowledgeBase {
  readonly chunks: readonly KnowledgeChunk[];
  /** Keyword search (BM25): only chunks sharing a term with the query. The scripted model's relevance test. */
  search(query: string, limit: number): ScoredChunk[];
  /**
   * Retrieve as a vector index answers it: the `limit` nearest chunks that pass the filter (filtered before
   * ranking, so fewer only when fewer pass), however far off topic, best first, scored on a cosine-similarity
   * scale: off topic around 0.3 to 0.4, a good match 0.55 and up.
   */
  retrieve(query: string, limit: number, options?: RetrieveOptions): ScoredChunk[];
}

export interface KnowledgeDocument {
  name: string;
  markdown: string;
  attributes?: Record<string, unknown>;
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

/** The BM25 value that maps to a keyword closeness of 0.5. */
const SCORE_HALF_POINT = 6;

/**
 * Bedrock's scale: a cosine-similarity score. The stand-in's cosines run lower than a real embedding model's
 * for short queries against 300-token chunks, so they are mapped onto the range real Retrieve responses show
 * (an unrelated chunk about 0.3 to 0.4, a chunk that answers the question 0.55 and up). Provenance: the
 * response shape and chunk ids as in public recordings of Retrieve (e.g. a loosely related PDF chunk scored
 * 0.3708723 in one, with `x-amz-bedrock-kb-chunk-id` `1%3A0%3A…` and `x-amz-bedrock-kb-source-uri`), and
 * CHAT_KB_MIN_SCORE's default of 0.4 (docs/configuration.md) sits between the two ranges.
 */
function bedrockScale(closeness: number): number {
  return Number((0.3 + 0.55 * Math.min(1, Math.max(0, closeness))).toFixed(6));
}

/**
 * How close a chunk is by meaning, from the stand-in's cosine: at or below UNRELATED_COSINE (what shared
 * character n-grams and common context give any two texts) nothing, at FULL_MATCH_COSINE and above fully.
 */
const UNRELATED_COSINE = 0.08;
const FULL_MATCH_COSINE = 0.4;

function semanticCloseness(cosine: number): number {
  return Math.min(1, Math.max(0, (cosine - UNRELATED_COSINE) / (FULL_MATCH_COSINE - UNRELATED_COSINE)));
}

/**
 * An in-memory knowledge base over markdown files: chunked as Bedrock's default chunking does
 * (fixed-size-chunking.ts), ranked by BM25 (bm25-index.ts), by a semantic stand-in (semantic-stand-in.ts), or
 * both fused by reciprocal rank fusion (reciprocal-rank-fusion.ts). See docs/decisions/0028.
 */
export function createLocalKnowledgeBase(
  documents: KnowledgeDocument[],
  chunking: FixedSizeChunking = DEFAULT_CHUNKING,
): LocalKnowledgeBase {
  const chunks = documents.flatMap(({ name, markdown, attributes }) =>
    chunkDocument(name, markdown, attributes ?? {}, chunking),
  );
  const bm25 = createBm25Index(chunks.map((chunk) => tokenize(chunk.text)));
  const standIn = createSemanticStandIn(chunks.map((chunk) => chunk.text));
  const vectors = chunks.map((chunk) => standIn.embed(chunk.text));

  const withBm25 = (query: string) => {
    const queryTerms = [...new Set(tokenize(query))];
    return chunks.map((chunk, index) => ({
      chunk,
      index,
      bm25: bm25.score(queryTerms, index),
      matchedShare: bm25.matchedShare(queryTerms, index),
    }));
  };

  return {
    chunks,
    search(query, limit) {
      return withBm25(query)
        .filter((candidate) => candidate.bm25 > 0)
        .sort((a, b) => b.bm25 - a.bm25 || a.chunk.id.localeCompare(b.chunk.id))
        .slice(0, limit)
        .map(({ chunk, bm25: value, matchedShare }) => ({
          ...chunk,
          bm25: value,
          matchedShare,
          score: keywordCloseness(value),
        }));
    },
    retrieve(query, limit, options = {}) {
      const queryVector = standIn.embed(query);
      const candidates = withBm25(query)
        .filter(({ chunk }) => !options.filter || options.filter(chunkMetadata(chunk)))
        .map((candidate) => {
          const meaning = semanticCloseness(
            cosineSimilarity(queryVector, vectors[candidate.index] as Float64Array),
          );
          return { ...candidate, meaning, keyword: keywordCloseness(candidate.bm25) };
        });
      const byId = new Map(candidates.map((candidate) => [candidate.chunk.id, candidate]));
      const bySemantic = [...candidates].sort(
        (a, b) => b.meaning - a.meaning || a.chunk.id.localeCompare(b.chunk.id),
      );
      const byKeyword = candidates
        .filter((candidate) => candidate.bm25 > 0)
        .sort((a, b) => b.bm25 - a.bm25 || a.chunk.id.localeCompare(b.chunk.id));
      const searchType = options.searchType ?? 'SEMANTIC';

      let ranked: Array<(typeof candidates)[number] & { score: number }>;
      if (searchType === 'SEMANTIC') {
        ranked = bySemantic.map((candidate) => ({ ...candidate, score: bedrockScale(candidate.meaning) }));
      } else if (searchType === 'LEXICAL') {
        ranked = [...byKeyword, ...bySemantic.filter((candidate) => candidate.bm25 === 0)].map(
          (candidate) => ({
            ...candidate,
            score: bedrockScale(candidate.keyword),
          }),
        );
      } else {
        const fused = reciprocalRankFusion([
          byKeyword.map((candidate) => candidate.chunk.id),
          bySemantic.map((candidate) => candidate.chunk.id),
        ]);
        // Scores say how close a chunk is (keywords and meaning, half each), never rising down the fused list.
        let ceiling = 1;
        ranked = fused.map(({ id }) => {
          const candidate = byId.get(id) as (typeof candidates)[number];
          ceiling = Math.min(ceiling, bedrockScale((candidate.keyword + candidate.meaning) / 2));
          return { ...candidate, score: ceiling };
        });
      }
      return ranked.slice(0, limit).map(({ chunk, bm25: value, matchedShare, score }) => ({
        ...chunk,
        bm25: value,
        matchedShare,
        score,
      }));
    },
  };
}

function keywordCloseness(bm25: number): number {
  return bm25 / (bm25 + SCORE_HALF_POINT);
}

/** The `.md` documents of a folder, each with the `metadataAttributes` of its `<document>.metadata.json`. */
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

function chunkDocument(
  name: string,
  markdown: string,
  attributes: Record<string, unknown>,
  chunking: FixedSizeChunking,
): KnowledgeChunk[] {
  const document = basename(name);
  const title = /^#\s+(.+)$/m.exec(markdown)?.[1]?.trim() ?? document;
  let offset = 0;
  return chunkFixedSize(markdown, chunking).map((text, index) => {
    const at = markdown.indexOf(text, offset);
    offset = at >= 0 ? at + 1 : offset;
    const id = `${document}#${index}`;
    const documentId = createHash('sha256').update(id).digest('base64url').slice(0, 20);
    return {
      id,
      chunkId: `1%3A0%3A${documentId}`,
      document,
      heading: headingOf(markdown, at, text) ?? title,
      text,
      uri: `s3://local-knowledge-base/${document}`,
      attributes,
    };
  });
}

/** The `##` heading in force where the chunk starts, else the first one inside it. */
function headingOf(markdown: string, at: number, text: string): string | undefined {
  const before = at > 0 ? [...markdown.slice(0, at).matchAll(/^#{2,6}\s+(.+)$/gm)].at(-1)?.[1] : undefined;
  const startsWithHeading = /^#{1,6}\s/.test(text);
  const inside = /^#{2,6}\s+(.+)$/m.exec(text)?.[1];
  return (startsWithHeading ? inside : (before ?? inside))?.trim();
}
