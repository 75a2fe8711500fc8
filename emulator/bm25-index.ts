/** Okapi BM25 parameters, the usual ones (and OpenSearch's defaults). */
const K1 = 1.2;
const B = 0.75;

export interface Bm25Index {
  /** The BM25 score of document `index` for the (distinct) query terms; 0 when it shares none. */
  score(queryTerms: readonly string[], index: number): number;
  /**
   * The share (0 to 1) of the query's weight that document `index` contains: the idf of its query terms over
   * the idf of them all, a term no document uses weighing most. "Tell me about roses" shares only "about".
   */
  matchedShare(queryTerms: readonly string[], index: number): number;
}

/** Okapi BM25 over documents given as their terms (already tokenized), idf as Lucene computes it. */
export function createBm25Index(documents: ReadonlyArray<readonly string[]>): Bm25Index {
  const averageLength =
    documents.reduce((sum, terms) => sum + terms.length, 0) / Math.max(1, documents.length);
  const documentFrequency = new Map<string, number>();
  const counts = documents.map((terms) => {
    const count = new Map<string, number>();
    for (const term of terms) count.set(term, (count.get(term) ?? 0) + 1);
    for (const term of count.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    return count;
  });
  const idf = (term: string) => {
    const n = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (documents.length - n + 0.5) / (n + 0.5));
  };
  return {
    score(queryTerms, index) {
      const length = documents[index]?.length ?? 0;
      let score = 0;
      for (const term of queryTerms) {
        const frequency = counts[index]?.get(term) ?? 0;
        if (frequency === 0) continue;
        score +=
          (idf(term) * frequency * (K1 + 1)) / (frequency + K1 * (1 - B + (B * length) / averageLength));
      }
      return score;
    },
    matchedShare(queryTerms, index) {
      let matched = 0;
      let total = 0;
      for (const term of queryTerms) {
        total += idf(term);
        if (counts[index]?.has(term)) matched += idf(term);
      }
      return total === 0 ? 0 : matched / total;
    },
  };
}
