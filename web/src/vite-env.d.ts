/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** ws:// URL offline, the deployed wss:// URL after `serverless deploy`. */
  readonly VITE_CHAT_WS_URL?: string;
}
