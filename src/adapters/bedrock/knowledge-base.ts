import {
  type BedrockAgentRuntimeClient,
  type KnowledgeBaseRetrievalResult,
  RetrieveCommand,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { KnowledgeBase } from '../../chat/ports.ts';

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
