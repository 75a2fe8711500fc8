import { tokenize } from './search-terms.ts';

/**
 * The local knowledge base's stand-in for an embedding model: deterministic, offline, built from the corpus
 * alone (no model, no download). It is random indexing (Kanerva, Kristoferson and Holst, 2000), a cheap form of
 * distributional semantics:
 *
 * - every term and every character 4-gram gets a fixed sparse random vector (a hash of its name);
 * - every term also gets a context vector: the sum of the random vectors of the terms seen near it (±5 terms)
 *   anywhere in the corpus, so terms used in the same company ("invoice", "receipt", "VAT") end up alike;
 * - a text's vector is the idf-weighted sum of its terms' own and context vectors, plus its 4-grams (so
 *   "sign-in" meets "signin", "webhooks" meets "webhook"); similarity is the cosine.
 *
 * What it is not: it knows nothing outside this corpus, has no word order and no world knowledge; a synonym
 * the documents never use near the same words stays a stranger. It ranks like a weak embedding model, which is
 * what the local stack needs: not exact-keyword search, deterministic, and honest about being an imitation.
 */
export interface SemanticStandIn {
  embed(text: string): Float64Array;
}

const DIMENSIONS = 512;
/** Non-zero entries of each random vector (±1 each). */
const NON_ZEROS = 8;
const WINDOW = 5;
/** How much a term's neighbourhood counts next to the term itself. */
const CONTEXT_WEIGHT = 0.6;
const NGRAM_WEIGHT = 0.25;

export function createSemanticStandIn(documents: readonly string[]): SemanticStandIn {
  const termLists = documents.map((text) => tokenize(text));
  const documentFrequency = new Map<string, number>();
  for (const terms of termLists)
    for (const term of new Set(terms)) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  const maxIdf = Math.log(1 + documents.length);
  const idf = (term: string) => {
    const n = documentFrequency.get(term);
    return n === undefined ? maxIdf : Math.log(1 + documents.length / n);
  };

  const context = new Map<string, Float64Array>();
  for (const terms of termLists) {
    terms.forEach((term, position) => {
      const vector = context.get(term) ?? new Float64Array(DIMENSIONS);
      context.set(term, vector);
      const from = Math.max(0, position - WINDOW);
      const to = Math.min(terms.length - 1, position + WINDOW);
      for (let near = from; near <= to; near++) {
        const neighbour = terms[near] as string;
        if (near !== position && neighbour !== term) addRandomVector(vector, neighbour, idf(neighbour));
      }
    });
  }
  for (const vector of context.values()) normalize(vector);

  return {
    embed(text) {
      const vector = new Float64Array(DIMENSIONS);
      const frequency = new Map<string, number>();
      for (const term of tokenize(text)) frequency.set(term, (frequency.get(term) ?? 0) + 1);
      for (const [term, count] of frequency) {
        const weight = idf(term) * (1 + Math.log(count));
        addRandomVector(vector, term, weight);
        const termContext = context.get(term);
        if (termContext) {
          for (let i = 0; i < DIMENSIONS; i++)
            vector[i] = (vector[i] ?? 0) + CONTEXT_WEIGHT * weight * (termContext[i] ?? 0);
        }
      }
      for (const word of text.toLowerCase().match(/[a-z0-9]+(?:-[a-z0-9]+)*/g) ?? []) {
        const padded = ` ${word.replace(/-/g, '')} `;
        for (let i = 0; i + 4 <= padded.length; i++)
          addRandomVector(vector, `#${padded.slice(i, i + 4)}`, NGRAM_WEIGHT);
      }
      return normalize(vector);
    },
  };
}

export function cosineSimilarity(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    normA += (a[i] ?? 0) ** 2;
    normB += (b[i] ?? 0) ** 2;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/** Adds `weight` × the feature's fixed sparse random vector (its positions and signs come from a hash). */
function addRandomVector(vector: Float64Array, feature: string, weight: number): void {
  let hash = fnv1a(feature);
  for (let i = 0; i < NON_ZEROS; i++) {
    hash = Math.imul(hash ^ (hash >>> 15), 0x2c1b3c6d) >>> 0;
    const position = hash % DIMENSIONS;
    vector[position] = (vector[position] ?? 0) + (hash & 0x80000000 ? -weight : weight);
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

function normalize(vector: Float64Array): Float64Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) / norm;
  return vector;
}
