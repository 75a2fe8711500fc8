import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs (Powertools). POWERTOOLS_DEV=true pretty-prints them in `npm run dev`. */
export function createLogger(): Logger {
  return new Logger({ serviceName: 'chat' });
}

export type { Logger };
