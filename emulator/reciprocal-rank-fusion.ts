/**
 * The RRF constant k of Cormack, Clarke and Büttcher (SIGIR 2009), also OpenSearch's and Elasticsearch's
 * default: it damps the difference between the first few ranks, so one list's favourite cannot win alone.
 */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each id scores Σ 1 / (k + rank) over the ranked lists it appears in (ranks from 1),
 * best first; ties by id, so the order is deterministic.
 */
export function reciprocalRankFusion(
  rankings: ReadonlyArray<readonly string[]>,
  k: number = RRF_K,
): Array<{ id: string; score: number }> {
  const fused = new Map<string, number>();
  for (const ranking of rankings) {
    for (const [index, id] of ranking.entries()) fused.set(id, (fused.get(id) ?? 0) + 1 / (k + index + 1));
  }
  return [...fused]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
