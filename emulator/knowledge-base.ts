import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** A retrievable chunk: one markdown section of one document. */
export interface KnowledgeChunk {
  id: string;
  document: string;
  heading: string;
  text: string;
  uri: string;
}

export interface ScoredChunk extends KnowledgeChunk {
  /** BM25 normalised into (0, 1): bm25 / (bm25 + SCORE_HALF_POINT). */
  score: number;
  bm25: number;
}

export interface LocalKnowledgeBase {
  readonly chunks: readonly KnowledgeChunk[];
  search(query: string, limit: number): ScoredChunk[];
}

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
  documents: Array<{ name: string; markdown: string }>,
): LocalKnowledgeBase {
  const chunks = documents.flatMap(({ name, markdown }) => chunkMarkdown(name, markdown));
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

  return {
    chunks,
    search(query, limit) {
      const queryTerms = [...new Set(tokenize(query))];
      return chunks
        .map((chunk, index) => {
          const length = terms[index]?.length ?? 0;
          let bm25 = 0;
          for (const term of queryTerms) {
            const frequency = counts[index]?.get(term) ?? 0;
            if (frequency === 0) continue;
            bm25 +=
              (idf(term) * frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * length) / averageLength));
          }
          return { ...chunk, bm25, score: bm25 / (bm25 + SCORE_HALF_POINT) };
        })
        .filter((chunk) => chunk.bm25 > 0)
        .sort((a, b) => b.bm25 - a.bm25 || a.id.localeCompare(b.id))
        .slice(0, limit);
    },
  };
}

export function loadKnowledgeBase(directory: string): LocalKnowledgeBase {
  const files = readdirSync(directory)
    .filter((file) => file.endsWith('.md'))
    .sort();
  return createLocalKnowledgeBase(
    files.map((file) => ({ name: file, markdown: readFileSync(join(directory, file), 'utf8') })),
  );
}

function chunkMarkdown(name: string, markdown: string): KnowledgeChunk[] {
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
    return [
      { id: `${document}#${index}`, document, heading, text, uri: `s3://local-knowledge-base/${document}` },
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
