import { isFresh, readJwtClaims } from './jwt-claims.ts';
import type { SignIn } from './sign-in.ts';

const TOKENS_KEY = 'chat.auth.tokens';
const PENDING_KEY = 'chat.auth.pending';

interface StoredTokens {
  idToken: string;
  refreshToken?: string;
}

export interface CognitoOptions {
  /** The user pool's managed-login domain, e.g. `my-app.auth.us-east-1.amazoncognito.com`. */
  domain: string;
  clientId: string;
  /** Where Cognito sends the user back: this app's URL, registered as a callback in serverless.yml. */
  redirectUri: string;
  storage: Storage;
  pendingStorage: Storage;
  location: Pick<Location, 'search' | 'assign'>;
  history: Pick<History, 'replaceState'>;
  fetch: typeof fetch;
  crypto: Crypto;
  now?: () => number;
}

/**
 * Sign-in with Amazon Cognito managed login: the OAuth 2.0 authorization code flow with PKCE (a public client,
 * no secret in the browser). The ID token goes to `$connect`; the refresh token renews it without a redirect.
 */
export function createCognitoSignIn(options: CognitoOptions): SignIn {
  const now = options.now ?? Date.now;
  const base = `https://${options.domain}`;
  const read = (): StoredTokens | undefined => {
    const raw = options.storage.getItem(TOKENS_KEY);
    return raw ? (JSON.parse(raw) as StoredTokens) : undefined;
  };
  const write = (tokens: StoredTokens) => options.storage.setItem(TOKENS_KEY, JSON.stringify(tokens));

  const exchange = async (form: Record<string, string>) => {
    const response = await options.fetch(`${base}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: options.clientId, ...form }).toString(),
    });
    if (!response.ok) throw new Error(`Cognito's token endpoint answered ${response.status}`);
    return (await response.json()) as { id_token: string; refresh_token?: string };
  };

  const redirectToSignIn = async (): Promise<never> => {
    const verifier = base64Url(options.crypto.getRandomValues(new Uint8Array(32)));
    const state = base64Url(options.crypto.getRandomValues(new Uint8Array(16)));
    const challenge = base64Url(
      new Uint8Array(await options.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
    );
    options.pendingStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state }));
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: options.clientId,
      redirect_uri: options.redirectUri,
      scope: 'openid email',
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    options.location.assign(`${base}/oauth2/authorize?${query}`);
    return new Promise<never>(() => {}); // the page is leaving
  };

  return {
    get user() {
      const token = read()?.idToken;
      return token ? readJwtClaims(token).email : undefined;
    },

    async completeSignIn() {
      const params = new URLSearchParams(options.location.search);
      const code = params.get('code');
      const pending = options.pendingStorage.getItem(PENDING_KEY);
      if (!code || !pending) return;
      options.pendingStorage.removeItem(PENDING_KEY);
      options.history.replaceState(null, '', options.redirectUri);
      const { verifier, state } = JSON.parse(pending) as { verifier: string; state: string };
      if (params.get('state') !== state)
        throw new Error('Sign-in state does not match; please sign in again.');
      const tokens = await exchange({
        grant_type: 'authorization_code',
        code,
        redirect_uri: options.redirectUri,
        code_verifier: verifier,
      });
      write({ idToken: tokens.id_token, refreshToken: tokens.refresh_token });
    },

    async getToken() {
      const stored = read();
      if (isFresh(stored?.idToken, now())) return stored.idToken;
      if (stored?.refreshToken) {
        try {
          const renewed = await exchange({ grant_type: 'refresh_token', refresh_token: stored.refreshToken });
          write({ idToken: renewed.id_token, refreshToken: stored.refreshToken });
          if (isFresh(renewed.id_token, now())) return renewed.id_token;
        } catch {
          // an expired or revoked refresh token: sign in again
        }
      }
      options.storage.removeItem(TOKENS_KEY);
      return redirectToSignIn();
    },

    signOut() {
      options.storage.removeItem(TOKENS_KEY);
      const query = new URLSearchParams({ client_id: options.clientId, logout_uri: options.redirectUri });
      options.location.assign(`${base}/logout?${query}`);
    },
  };
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
