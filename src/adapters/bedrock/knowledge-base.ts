import {
  BedrockAgentRuntimeClient,
  type KnowledgeBaseRetrievalResult,
  RetrieveCommand,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { KnowledgeBase } from '../../chat/ports.ts';
import { type ClientLocation, createHttpHandler } from '../http-handler.ts';

/**
 * The Knowledge Bases client. It lives beside its only user, apart from the model's client, so a bundle can
 * load it on the first retrieval rather than at cold start (see src/lambda/lazy-knowledge-base.ts).
 */
export function createBedrockAgentRuntimeClient(location: ClientLocation): BedrockAgentRuntimeClient {
  return new BedrockAgentRuntimeClient({
    region: location.region,
    endpoint: location.endpoint,
    requestHandler: createHttpHandler(),
    maxAttempts: 3,
  });
}

/** Bedrock Knowledge Bases `Retrieve` as a KnowledgeBase. */
export function createBedrockKnowledgeBase(options: {
  client: BedrockAgentRuntimeClient;
  knowledgeBaseId: string;
}): KnowledgeBase {
  return {
    async retrieve(query, maxResults, signal) {
      const { retrievalResults = [] } = await options.client.send(
        new RetrieveCommand({
          knowledgeBaseId: options.knowledgeBaseId,
          retrievalQuery: { text: query },
          retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: maxResults } },
        }),
        { abortSignal: signal },
      );
      return retrievalResults.map((result) => ({
        text: result.content?.text ?? '',
        source: sourceOf(result),
        score: result.score ?? 0,
      }));
    },
  };
}

function sourceOf(result: KnowledgeBaseRetrievalResult): string {
  const location = result.location;
  return (
    location?.s3Location?.uri ??
    location?.webLocation?.url ??
    location?.confluenceLocation?.url ??
    location?.sharePointLocation?.url ??
    location?.salesforceLocation?.url ??
    location?.customDocumentLocation?.id ??
    'unknown'
  );
}
