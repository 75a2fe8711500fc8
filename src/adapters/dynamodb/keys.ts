/** Key layout of the single chat table (PK/SK strings); docs/decisions/0018 lists every item. */
export const sessionKey = (sessionId: string) => ({ PK: `SESSION#${sessionId}`, SK: 'STATE' });
export const turnKey = (sessionId: string, turnId: string) => ({
  PK: `SESSION#${sessionId}`,
  SK: `TURN#${turnId}`,
});
export const resourceKey = (slug: string) => ({ PK: `RESOURCE#${slug}`, SK: 'RESOURCE' });
export const rateWindowKey = (key: string, minute: number) => ({ PK: `RATE#${key}`, SK: `MINUTE#${minute}` });
export const usageKey = (userId: string) => ({ PK: `USER#${userId}`, SK: 'USAGE' });
