import { ANONYMOUS_OWNER_KEY } from '../../chat/conversation-ports.ts';
import { isTextBlock } from '../../chat/messages.ts';
import type { StoredSession } from '../../chat/ports.ts';

/** The global secondary index of each owner's sessions by last activity (serverless.yml, docs/decisions/0023). */
export const SESSIONS_BY_OWNER_INDEX = 'SessionsByOwner';

/** Most characters of a session's text kept for search: a window's worth of chat, well under the item limit. */
const MAX_SEARCH_CHARS = 16_000;

/** Attributes only the listing reads; derived on every write, never part of a StoredSession. */
export const LISTING_ATTRIBUTES = ['ownerKey', 'activityAt', 'searchText', 'titleSearch'] as const;

/**
 * What puts a session in its owner's list: the index keys (`ownerKey`, `activityAt`) and lower-case text to
 * search. A session with no turn yet (only claimed) gets no keys, so the sparse index leaves it out.
 */
export function listingAttributesOf(session: StoredSession): Record<string, string> {
  if (session.turns === 0) return {};
  const text = session.messages
    .flatMap((message) => message.content.filter(isTextBlock).map((block) => block.text))
    .join('\n')
    .toLowerCase();
  return {
    ownerKey: session.ownerId ?? ANONYMOUS_OWNER_KEY,
    activityAt: session.updatedAt,
    searchText: text.slice(-MAX_SEARCH_CHARS),
    ...(session.title ? { titleSearch: session.title.toLowerCase() } : {}),
  };
}
