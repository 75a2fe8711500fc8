import { createHash } from 'node:crypto';
import {
  BedrockAgentRuntimeClient,
  type KnowledgeBaseRetrievalResult,
  type KnowledgeBaseVectorSearchConfiguration,
  type RetrievalFilter,
  RetrieveCommand,
} from '@aws-sdk/client-bedrock-agent-runtime';
import type { KnowledgeBase, Passage, RetrievalRequest } from '../../chat/ports.ts';
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
    async retrieve(request, signal) {
      const { retrievalResults = [] } = await options.client.send(
        new RetrieveCommand({
          knowledgeBaseId: options.knowledgeBaseId,
          retrievalQuery: { text: request.query },
          retrievalConfiguration: { vectorSearchConfiguration: vectorSearchOf(request) },
        }),
        { abortSignal: signal },
      );
      return retrievalResults.map(toPassage);
    },
  };
}

function vectorSearchOf(request: RetrievalRequest): KnowledgeBaseVectorSearchConfiguration {
  return {
    numberOfResults: request.numberOfResults,
    ...(request.searchType ? { overrideSearchType: request.searchType } : {}),
    ...(request.filter ? { filter: request.filter as unknown as RetrievalFilter } : {}),
    ...(request.rerankModelArn
      ? {
          rerankingConfiguration: {
            type: 'BEDROCK_RERANKING_MODEL',
            bedrockRerankingConfiguration: {
              modelConfiguration: { modelArn: request.rerankModelArn },
              numberOfRerankedResults: request.numberOfResults,
            },
          },
        }
      : {}),
  };
}

/**
 * A result as a passage. Its id is the chunk id Bedrock stores in `x-amz-bedrock-kb-chunk-id` (e.g.
 * `1%3A0%3AmccQM5EBxA6rr6aO09_T` on OpenSearch, a UUID on S3 Vectors); a result without one gets a hash of its
 * location and text, stable across calls.
 */
function toPassage(result: KnowledgeBaseRetrievalResult): Passage {
  const text = result.content?.text ?? '';
  const source = sourceOf(result);
  const metadata = (result.metadata ?? {}) as Record<string, unknown>;
  const chunkId = metadata['x-amz-bedrock-kb-chunk-id'];
  const url = webAddressOf(result, metadata);
  return {
    id:
      typeof chunkId === 'string' && chunkId !== ''
        ? chunkId
        : `sha256:${createHash('sha256').update(`${source}\n${text}`).digest('base64url').slice(0, 22)}`,
    text,
    source,
    title: typeof metadata.title === 'string' && metadata.title !== '' ? metadata.title : titleFrom(source),
    ...(url ? { url } : {}),
    score: result.score ?? 0,
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

/** A link a browser can open: the location's own http(s) URL, else a `url` metadata attribute. */
function webAddressOf(
  result: KnowledgeBaseRetrievalResult,
  metadata: Record<string, unknown>,
): string | undefined {
  const candidates = [
    result.location?.webLocation?.url,
    result.location?.confluenceLocation?.url,
    result.location?.sharePointLocation?.url,
    result.location?.salesforceLocation?.url,
    metadata.url,
  ];
  return candidates.find(
    (value): value is string => typeof value === 'string' && /^https?:\/\//i.test(value),
  );
}

/** "s3://docs/account-security.md" → "Account security". */
export function titleFrom(source: string): string {
  const file = decodeURIComponent(source.split(/[/?#]/).filter(Boolean).at(-1) ?? source);
  const words = file
    .replace(/\.[a-z0-9]{1,5}$/i, '')
    .replace(/[-_]+/g, ' ')
    .trim();
  return words === '' ? source : words.charAt(0).toUpperCase() + words.slice(1);
}
