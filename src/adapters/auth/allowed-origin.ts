/**
 * Whether a WebSocket upgrade may proceed given its `Origin` header. Browsers always send one, so a page on
 * another site is refused; tools (wscat, the SDKs, the tests) send none and pass on their token alone. An
 * empty `allowed` list means no origin check (AWS, where sign-in is Cognito's and the token is the guard).
 */
export function isAllowedOrigin(
  headers: Record<string, string | undefined> | null | undefined,
  allowed: readonly string[],
): boolean {
  if (allowed.length === 0) return true;
  // API Gateway and serverless-offline keep the header's case as the client sent it.
  const origin = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'origin')?.[1];
  return origin === undefined || allowed.includes(origin);
}
