import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { getResponse, type RequestHandler } from 'msw';
import { createBedrockForwarder } from '../emulator/bedrock-upstream.ts';
import type { Emulator } from '../emulator/emulator.ts';
import { createBedrockHandlers } from '../emulator/handlers.ts';
import { createConversationRecorder } from './conversation-recorder.ts';
import { withFailureReport } from './failure-report.ts';
import { createRecordingHandlers } from './recording-handlers.ts';

export interface AwsBedrockOptions {
  region: string;
  /** The developer's credentials; default: the SDK's chain (AWS_PROFILE, SSO, environment). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Another endpoint standing in for AWS (tests); absent: AWS in `region`. */
  endpoint?: string;
  /** The knowledge base Retrieve calls go to; absent: the local emulator answers them from its own. */
  knowledgeBaseId?: string;
  /** Answers Retrieve when there is no knowledge base on AWS to ask. */
  local?: Emulator;
  /** Save every conversation as fixtures in this folder. */
  recordTo?: string;
  onWritten?: (path: string) => void;
  /** Told in one line of each call AWS refused or that could not reach it (`npm run dev` prints it). */
  onFailed?: (line: string) => void;
}

/**
 * What the local emulator endpoint serves with `npm run dev -- --bedrock aws`: each model and Retrieve call is
 * forwarded to Bedrock with the developer's credentials (the stack's handlers keep their dummy keys), and, with
 * `--record`, saved as fixtures per conversation.
 */
export function createAwsBedrockHandlers(options: AwsBedrockOptions): {
  handlers: RequestHandler[];
  flush(): Promise<void>;
  /** Resolves the developer's credentials once, so a missing profile shows at start, not at the first answer. */
  checkCredentials(): Promise<void>;
} {
  // The SDK's own credential chain, resolved here, in the developer's process, never in a handler's.
  const { credentials } = new BedrockRuntimeClient({
    region: options.region,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  }).config;
  const toAws = createBedrockForwarder({
    region: options.region,
    credentials,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.knowledgeBaseId ? { knowledgeBaseId: options.knowledgeBaseId } : {}),
  });
  const localHandlers = options.local ? createBedrockHandlers(options.local) : [];
  const toAwsReported = options.onFailed ? withFailureReport(toAws, options.onFailed) : toAws;
  const forward = async (request: Request) => {
    const retrieve = new URL(request.url).pathname.endsWith('/retrieve');
    if (!retrieve || options.knowledgeBaseId || !options.local) return toAwsReported(request);
    return (await getResponse(localHandlers, request)) ?? toAwsReported(request);
  };
  const recorder = options.recordTo
    ? createConversationRecorder(options.recordTo, {
        // Recorded from AWS, or from whatever stands in for it.
        source: options.endpoint ? 'synthetic' : 'recorded',
        ...(options.onWritten ? { onWritten: options.onWritten } : {}),
      })
    : undefined;
  const handlers = createRecordingHandlers((exchange) => {
    if (recorder) recorder.add(exchange);
    else exchange.catch(() => undefined);
  }, forward);
  return {
    handlers,
    flush: () => recorder?.flush() ?? Promise.resolve(),
    checkCredentials: async () => {
      await credentials();
    },
  };
}
