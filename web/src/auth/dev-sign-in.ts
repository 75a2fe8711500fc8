import { isFresh } from './jwt-claims.ts';
import type { SignIn } from './sign-in.ts';

/**
 * Offline sign-in against the local dev issuer that `npm run dev` starts (standing in for Cognito). The user
 * name comes from `?user=<name>` once and is remembered, so two browsers can be two users.
 */
export function createDevSignIn(options: {
  issuerUrl: string;
  storage: Storage;
  location: Pick<Location, 'search'>;
  fetch: typeof fetch;
  now?: () => number;
}): SignIn {
  const now = options.now ?? Date.now;
  const fromUrl = new URLSearchParams(options.location.search).get('user')?.trim();
  if (fromUrl) options.storage.setItem('chat.devUser', fromUrl);
  const user = options.storage.getItem('chat.devUser') ?? 'dev-user';
  let token: string | undefined;

  return {
    user,
    async getToken() {
      if (isFresh(token, now())) return token;
      const response = await options.fetch(`${options.issuerUrl}/token?user=${encodeURIComponent(user)}`);
      if (!response.ok) throw new Error(`The dev token issuer answered ${response.status}`);
      token = ((await response.json()) as { token: string }).token;
      return token;
    },
  };
}
