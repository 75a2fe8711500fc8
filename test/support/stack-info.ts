import 'vitest';
import type { Stack } from '../../local/stack.ts';

/** What the integration/e2e global setup tells the tests about the running stack. */
export interface StackInfo {
  websocketUrl: string;
  emulatorUrl: string;
  dynamodbEndpoint: string;
  /** The S3-compatible server and bucket holding attachments. */
  s3: { endpoint: string; bucket: string };
  /** DynamoDB Local's process, for tests that freeze storage (SIGSTOP) to make it hang. */
  dynamodbPid?: number;
  tableName: string;
  region: string;
  /** The dev token issuer (GET /token?user=<name>); $connect requires its tokens. */
  authUrl: string;
  /** The web app's origin: the only one (with its localhost twin) that may sign in and connect from a page. */
  webOrigin: string;
}

/** What tests and benchmarks need to know of a running stack. */
export function stackInfoOf(stack: Stack): StackInfo {
  return {
    websocketUrl: stack.websocketUrl,
    emulatorUrl: stack.emulatorUrl,
    dynamodbEndpoint: stack.dynamodbEndpoint,
    s3: stack.s3,
    dynamodbPid: stack.dynamodbPid,
    tableName: stack.tableName,
    region: stack.region,
    authUrl: stack.issuer.url,
    webOrigin: stack.webOrigins[0] as string,
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
    webUrl: string;
  }
}
