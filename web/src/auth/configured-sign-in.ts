import { createCognitoSignIn } from './cognito-sign-in.ts';
import { createDevSignIn } from './dev-sign-in.ts';
import type { SignIn } from './sign-in.ts';

/** The dev issuer `npm run dev` starts. */
export const LOCAL_AUTH_URL = 'http://127.0.0.1:4011';

/**
 * The sign-in this build was made for: `VITE_AUTH_MODE=dev` (the local dev issuer at `VITE_DEV_AUTH_URL`),
 * `cognito` (`VITE_COGNITO_DOMAIN`, `VITE_COGNITO_CLIENT_ID`; set by `npm run deploy`), or none.
 */
export function configuredSignIn(env: ImportMetaEnv, browser: Window): SignIn | undefined {
  if (env.VITE_AUTH_MODE === 'dev') {
    return createDevSignIn({
      issuerUrl: env.VITE_DEV_AUTH_URL ?? LOCAL_AUTH_URL,
      storage: browser.localStorage,
      location: browser.location,
      fetch: browser.fetch.bind(browser),
    });
  }
  if (env.VITE_AUTH_MODE === 'cognito') {
    if (!env.VITE_COGNITO_DOMAIN || !env.VITE_COGNITO_CLIENT_ID) {
      throw new Error('VITE_AUTH_MODE=cognito needs VITE_COGNITO_DOMAIN and VITE_COGNITO_CLIENT_ID.');
    }
    return createCognitoSignIn({
      domain: env.VITE_COGNITO_DOMAIN,
      clientId: env.VITE_COGNITO_CLIENT_ID,
      redirectUri: `${browser.location.origin}/`,
      storage: browser.localStorage,
      pendingStorage: browser.sessionStorage,
      location: browser.location,
      history: browser.history,
      fetch: browser.fetch.bind(browser),
      crypto: browser.crypto,
    });
  }
  return undefined;
}
