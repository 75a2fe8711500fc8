/** The documents a search returned, best first, each once (several chunks of one document count once). */
export function rankedDocuments(sources: readonly string[]): string[] {
  return [...new Set(sources.map((source) => source.split('/').at(-1) ?? source))];
}

/** Share of the relevant documents found among the first `k` ranked documents. */
export function recallAtK(ranked: readonly string[], relevant: readonly string[], k: number): number {
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((document) => top.has(document)).length / relevant.length;
}

/** 1 / the rank of the first relevant document (ranks from 1), 0 when none was found. */
export function reciprocalRank(ranked: readonly string[], relevant: readonly string[]): number {
  const index = ranked.findIndex((document) => relevant.includes(document));
  return index < 0 ? 0 : 1 / (index + 1);
}

export interface RetrievalScores {
  questions: number;
  /** Mean recall@k over the questions. */
  recall: number;
  /** Mean reciprocal rank. */
  mrr: number;
}

/** Mean recall@k and MRR of a run: one ranked list and its relevant documents per question. */
export function scoreRun(
  results: ReadonlyArray<{ ranked: readonly string[]; relevant: readonly string[] }>,
  k: number,
): RetrievalScores {
  const mean = (values: number[]) =>
    values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
  return {
    questions: results.length,
    recall: mean(results.map(({ ranked, relevant }) => recallAtK(ranked, relevant, k))),
    mrr: mean(results.map(({ ranked, relevant }) => reciprocalRank(ranked, relevant))),
  };
}
