import type { FeedbackStore, StoredFeedback } from '../../chat/conversation-ports.ts';

/** Feedback in a Map by session and turn, for unit tests. Every turn may be rated (`turns` limits them). */
export function createMemoryFeedbackStore(
  turns?: ReadonlySet<string>,
): FeedbackStore & { readonly ratings: Map<string, Map<string, StoredFeedback>> } {
  const ratings = new Map<string, Map<string, StoredFeedback>>();
  return {
    ratings,
    async record(sessionId, turnId, feedback) {
      if (turns && !turns.has(turnId)) return 'absent';
      const session = ratings.get(sessionId) ?? new Map<string, StoredFeedback>();
      ratings.set(sessionId, session);
      const replaced = session.get(turnId);
      session.set(turnId, { ...feedback });
      return replaced ? { replaced } : {};
    },
    async forSession(sessionId) {
      return new Map([...(ratings.get(sessionId) ?? new Map<string, StoredFeedback>())]);
    },
  };
}
