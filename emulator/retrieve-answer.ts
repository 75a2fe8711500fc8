import type { RetrieveBody } from './bedrock-types.ts';
import type { BedrockError } from './converse-checks.ts';
import { chunkMetadata, type LocalKnowledgeBase } from './knowledge-base.ts';
import { compileFilter } from './retrieval-filter.ts';
import { serviceShapes } from './service-model/service-shapes.ts';
import { checkShape, validationErrorMessage } from './service-model/shape-validator.ts';
import { wireJson } from './wire-json.ts';

/** Bedrock's default when `numberOfResults` is not given. */
const DEFAULT_RESULTS = 5;

/**
 * A knowledge base id of the emulator's own: the same local documents, ranked by BM25 alone. Bedrock has no
 * keyword-only search type, so `npm run eval:kb` reaches its lexical baseline through this id, with the same
 * client and request as every other search.
 */
export const LEXICAL_BASELINE_KNOWLEDGE_BASE_ID = 'LOCALBM25X';

interface VectorSearch {
  numberOfResults?: number;
  overrideSearchType?: 'SEMANTIC' | 'HYBRID';
  filter?: unknown;
}

/**
 * Retrieve answered like a vector knowledge base: the request is checked against the service model (knowledge
 * base id, `numberOfResults` 1 to 100, the filter's shape), the filter is applied before the search, and the
 * `numberOfResults` nearest chunks come back, on or off topic, best first.
 */
export function answerRetrieve(
  knowledgeBaseId: string,
  body: RetrieveBody,
  knowledgeBase: LocalKnowledgeBase,
): { ok: true; body: string } | { ok: false; error: BedrockError } {
  const invalid = (message: string) => ({
    ok: false as const,
    error: { status: 400, errorType: 'ValidationException', message },
  });
  const shapes = checkShape(serviceShapes('bedrock-agent-runtime'), 'RetrieveRequest', {
    ...body,
    knowledgeBaseId,
  });
  if (shapes.wrongType) {
    return {
      ok: false,
      error: { status: 400, errorType: 'SerializationException', message: shapes.wrongType },
    };
  }
  if (shapes.violations.length > 0) return invalid(validationErrorMessage(shapes.violations));

  const query = body.retrievalQuery?.text;
  if (!query || query.trim() === '') {
    return invalid('1 validation error detected: retrievalQuery.text must not be empty');
  }
  const search = (body.retrievalConfiguration?.vectorSearchConfiguration ?? {}) as VectorSearch;
  const filter = search.filter === undefined ? undefined : compileFilter(search.filter);
  if (filter && !filter.ok) return invalid(filter.message);

  const searchType =
    knowledgeBaseId === LEXICAL_BASELINE_KNOWLEDGE_BASE_ID ? 'LEXICAL' : search.overrideSearchType;
  const results = knowledgeBase.retrieve(query, search.numberOfResults ?? DEFAULT_RESULTS, {
    ...(searchType ? { searchType } : {}),
    ...(filter?.ok ? { filter: filter.test } : {}),
  });
  return {
    ok: true,
    body: wireJson({
      retrievalResults: results.map((chunk) => ({
        content: { text: chunk.text, type: 'TEXT' },
        location: { s3Location: { uri: chunk.uri }, type: 'S3' },
        metadata: chunkMetadata(chunk),
        score: chunk.score,
      })),
    }),
  };
}
