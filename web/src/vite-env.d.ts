/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** ws:// URL offline, the deployed wss:// URL after `serverless deploy`. */
  readonly VITE_CHAT_WS_URL?: string;
  /** Several regions: `us-east-1=wss://…,eu-west-1=wss://…` (set by a multi-region `npm run deploy`). */
  readonly VITE_CHAT_WS_URLS?: string;
  /** How to sign in for `$connect`: `dev` (local issuer), `cognito` (deployed), or unset (auth off). */
  readonly VITE_AUTH_MODE?: 'dev' | 'cognito';
  readonly VITE_DEV_AUTH_URL?: string;
  readonly VITE_COGNITO_DOMAIN?: string;
  readonly VITE_COGNITO_CLIENT_ID?: string;
}
