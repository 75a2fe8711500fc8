/** Key layout of the single chat table (PK/SK strings). */
export const sessionKey = (sessionId: string) => ({ PK: `SESSION#${sessionId}`, SK: 'STATE' });
export const stopRequestKey = (sessionId: string, turnId: string) => ({
  PK: `SESSION#${sessionId}`,
  SK: `STOP#${turnId}`,
});
export const resourceKey = (slug: string) => ({ PK: `RESOURCE#${slug}`, SK: 'RESOURCE' });

/** "Billing API" and "billing-api" name the same resource. */
export function toSlug(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
