import { isFresh } from './jwt-claims.ts';
import type { SignIn } from './sign-in.ts';

/**
 * Offline sign-in against the local dev issuer that `npm run dev` starts (standing in for Cognito). The user
 * name comes from `?user=<name>` once and is remembered, so two browsers can be two users; `&groups=admins`
 * with it makes them an admin (the admin page), as Cognito groups do on AWS.
 */
export function createDevSignIn(options: {
  issuerUrl: string;
  storage: Storage;
  location: Pick<Location, 'search'>;
  fetch: typeof fetch;
  now?: () => number;
}): SignIn {
  const now = options.now ?? Date.now;
  const query = new URLSearchParams(options.location.search);
  const fromUrl = query.get('user')?.trim();
  if (fromUrl) {
    options.storage.setItem('chat.devUser', fromUrl);
    options.storage.setItem('chat.devGroups', query.get('groups')?.trim() ?? '');
  }
  const user = options.storage.getItem('chat.devUser') ?? 'dev-user';
  const groups = options.storage.getItem('chat.devGroups') ?? '';
  let token: string | undefined;

  return {
    user,
    async getToken() {
      if (isFresh(token, now())) return token;
      const params = new URLSearchParams({ user, ...(groups ? { groups } : {}) });
      const response = await options.fetch(`${options.issuerUrl}/token?${params}`);
      if (!response.ok) throw new Error(`The dev token issuer answered ${response.status}`);
      token = ((await response.json()) as { token: string }).token;
      return token;
    },
  };
}
