import 'vitest';

/** What the integration/e2e global setup tells the tests about the running stack. */
export interface StackInfo {
  websocketUrl: string;
  emulatorUrl: string;
  dynamodbEndpoint: string;
  tableName: string;
  region: string;
  /** The dev token issuer (GET /token?user=<name>). */
  authUrl: string;
  /** Whether $connect requires the issuer's tokens (the test stacks: yes; the benchmark's: no). */
  authRequired: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: StackInfo;
    webUrl: string;
  }
}
