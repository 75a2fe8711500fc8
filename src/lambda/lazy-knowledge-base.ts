import type { KnowledgeBase } from '../chat/ports.ts';

/**
 * A KnowledgeBase whose adapter, SDK client included, is loaded and built on the first retrieval rather than
 * when the handler loads: a cold start pays for it only when an answer needs `kb_lookup`. Concurrent first
 * retrievals share one load; a failed load is tried again by the next retrieval.
 */
export function createLazyKnowledgeBase(load: () => Promise<KnowledgeBase>): KnowledgeBase {
  let loading: Promise<KnowledgeBase> | undefined;
  return {
    async retrieve(request, signal) {
      loading ??= load().catch((error: unknown) => {
        loading = undefined;
        throw error;
      });
      return (await loading).retrieve(request, signal);
    },
  };
}
