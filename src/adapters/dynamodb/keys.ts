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
/** Usage stats: one partition per UTC day, one item per session (or refused user) per hour, hour first. */
export const statsPartition = (hour: number) => `STATS#${new Date(hour).toISOString().slice(0, 10)}`;
export const statsHourPrefix = (hour: number) => new Date(hour).toISOString().slice(11, 13);
export const statsKey = (hour: number, kind: 'SESSION' | 'REFUSALS' | 'FEEDBACK', id: string) => ({
  PK: statsPartition(hour),
  SK: `${statsHourPrefix(hour)}#${kind}#${id}`,
});
export const memoriesKey = (userId: string) => ({ PK: `USER#${userId}`, SK: 'MEMORIES' });
