/** The claims of a JWT, read without verifying it (the server verifies); empty if it cannot be read. */
export function readJwtClaims(token: string): { exp?: number; email?: string; sub?: string } {
  try {
    const payload = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)) as { exp?: number; email?: string; sub?: string };
  } catch {
    return {};
  }
}

/** A token is used only while it has a minute left, so it cannot expire between fetch and connect. */
export function isFresh(token: string | undefined, nowMs: number): token is string {
  return token !== undefined && (readJwtClaims(token).exp ?? 0) * 1000 - 60_000 > nowMs;
}
