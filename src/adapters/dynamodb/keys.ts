/** Key layout of the single chat table (PK/SK strings); docs/decisions/0018 lists every item. */
export const sessionKey = (sessionId: string) => ({ PK: `SESSION#${sessionId}`, SK: 'STATE' });
export const turnKey = (sessionId: string, turnId: string) => ({
  PK: `SESSION#${sessionId}`,
  SK: `TURN#${turnId}`,
});
/** A branch left for another version of its first turn (docs/decisions/0027). */
export const branchKey = (sessionId: string, turnId: string) => ({
  PK: `SESSION#${sessionId}`,
  SK: `BRANCH#${turnId}`,
});
export const resourceKey = (slug: string) => ({ PK: `RESOURCE#${slug}`, SK: 'RESOURCE' });
export const rateWindowKey = (key: string, minute: number) => ({ PK: `RATE#${key}`, SK: `MINUTE#${minute}` });
export const usageKey = (userId: string) => ({ PK: `USER#${userId}`, SK: 'USAGE' });
/** One UTC day (`YYYY-MM-DD`) of a user's usage, beside their all-time totals. */
export const dayUsageKey = (userId: string, day: string) => ({ PK: `USER#${userId}`, SK: `USAGE#${day}` });
/** Usage stats: one partition per UTC day, one item per session (or refused user) per hour, hour first. */
export const statsPartition = (hour: number) => `STATS#${new Date(hour).toISOString().slice(0, 10)}`;
export const statsHourPrefix = (hour: number) => new Date(hour).toISOString().slice(11, 13);
export const statsKey = (
  hour: number,
  kind: 'SESSION' | 'REFUSALS' | 'FEEDBACK' | 'HANDOFFS',
  id: string,
) => ({
  PK: statsPartition(hour),
  SK: `${statsHourPrefix(hour)}#${kind}#${id}`,
});
export const memoriesKey = (userId: string) => ({ PK: `USER#${userId}`, SK: 'MEMORIES' });
/** Handoffs (docs/decisions/0026): the open one beside its session, its archive there too, the queue apart. */
const epochKey = (ms: number) => String(ms).padStart(15, '0');
export const handoffKey = (sessionId: string) => ({ PK: `SESSION#${sessionId}`, SK: 'HANDOFF' });
export const HANDOFF_ARCHIVE_PREFIX = 'HANDOFF#';
export const handoffArchiveKey = (sessionId: string, queuedAt: number) => ({
  PK: `SESSION#${sessionId}`,
  SK: `${HANDOFF_ARCHIVE_PREFIX}${epochKey(queuedAt)}`,
});
export const HANDOFF_QUEUE_PARTITION = 'HANDOFFS';
export const handoffQueueKey = (queuedAt: number, sessionId: string) => ({
  PK: HANDOFF_QUEUE_PARTITION,
  SK: `${epochKey(queuedAt)}#${sessionId}`,
});
/** Open connections: each user's in their partition, agents' also in one partition of their own. */
export const userConnectionKey = (userId: string, connectionId: string) => ({
  PK: `USER#${userId}`,
  SK: `CONNECTION#${connectionId}`,
});
export const AGENT_CONNECTIONS_PARTITION = 'AGENTS';
export const agentConnectionKey = (connectionId: string) => ({
  PK: AGENT_CONNECTIONS_PARTITION,
  SK: `CONNECTION#${connectionId}`,
});
