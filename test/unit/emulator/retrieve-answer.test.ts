import { describe, expect, it } from 'vitest';
import { LEXICAL_BASELINE_KNOWLEDGE_BASE_ID } from '../../../emulator/retrieve-answer.ts';
import { OFFLINE_TARGET } from '../../../recorder/scenario-runner.ts';
import { createTestEmulator } from './support/test-emulator.ts';

interface Retrieved {
  status: number;
  message?: string;
  retrievalResults: Array<{
    score: number;
    metadata: Record<string, unknown>;
    location: { s3Location: { uri: string } };
  }>;
}

async function retrieve(
  text: string,
  vectorSearchConfiguration: Record<string, unknown> = {},
  knowledgeBaseId = OFFLINE_TARGET.knowledgeBaseId,
): Promise<Retrieved> {
  const response = await createTestEmulator().handle({
    operation: 'Retrieve',
    target: knowledgeBaseId,
    body: { retrievalQuery: { text }, retrievalConfiguration: { vectorSearchConfiguration } },
    headers: new Headers(),
  });
  return { status: response.status, ...((await response.json()) as Omit<Retrieved, 'status'>) };
}

describe('Retrieve, answered like a vector knowledge base', () => {
  it('returns the k nearest chunks even for an off-topic query, scored low', async () => {
    const { retrievalResults } = await retrieve('What is the capital of France?', { numberOfResults: 4 });

    expect(retrievalResults).toHaveLength(4);
    for (const { score } of retrievalResults) {
      expect(score).toBeGreaterThan(0.25);
      expect(score).toBeLessThan(0.45);
    }
  });

  it('scores a good match on a cosine-similarity scale, best first, with real chunk ids and metadata', async () => {
    const { retrievalResults } = await retrieve('How do I reset my password?');
    const [best] = retrievalResults;

    expect(retrievalResults).toHaveLength(5);
    expect(best?.score).toBeGreaterThan(0.55);
    expect(best?.location.s3Location.uri).toBe('s3://local-knowledge-base/account-security.md');
    expect(best?.metadata).toMatchObject({
      'x-amz-bedrock-kb-source-uri': 's3://local-knowledge-base/account-security.md',
      'x-amz-bedrock-kb-data-source-id': 'LOCALDS001',
      category: 'security',
    });
    expect(best?.metadata['x-amz-bedrock-kb-chunk-id']).toMatch(/^1%3A0%3A[A-Za-z0-9_-]{20}$/);
    const scores = retrievalResults.map((result) => result.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('filters before the search, so fewer than k chunks can come back', async () => {
    const { retrievalResults } = await retrieve('password', {
      numberOfResults: 10,
      filter: { equals: { key: 'category', value: 'billing' } },
    });

    expect(retrievalResults.length).toBeGreaterThan(0);
    expect(retrievalResults.length).toBeLessThan(10);
    for (const { metadata } of retrievalResults) expect(metadata.category).toBe('billing');
  });

  it('mixes keyword matching in for HYBRID search', async () => {
    const semantic = await retrieve('refund', { overrideSearchType: 'SEMANTIC' });
    const hybrid = await retrieve('refund', { overrideSearchType: 'HYBRID' });

    expect(hybrid.retrievalResults.map((r) => r.score)).not.toEqual(
      semantic.retrievalResults.map((r) => r.score),
    );
  });

  it.each(['SEMANTIC', 'HYBRID'])(
    '%s: keeps an off-topic query under the default relevance threshold (0.4) and a good match over it',
    async (overrideSearchType) => {
      const offTopic = await retrieve('What is the capital of France?', { overrideSearchType });
      const onTopic = await retrieve('How do I verify a webhook signature?', { overrideSearchType });

      for (const { score } of offTopic.retrievalResults) expect(score).toBeLessThan(0.4);
      expect(onTopic.retrievalResults[0]?.score).toBeGreaterThan(0.55);
      expect(onTopic.retrievalResults[0]?.location.s3Location.uri).toBe(
        's3://local-knowledge-base/webhooks.md',
      );
      const scores = onTopic.retrievalResults.map((result) => result.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    },
  );

  it('ranks only the chunks the filter lets through, so k of them come back when k pass', async () => {
    const { retrievalResults } = await retrieve('How do I reset my password?', {
      numberOfResults: 3,
      filter: { equals: { key: 'category', value: 'billing' } },
    });

    expect(retrievalResults).toHaveLength(3);
    for (const { metadata } of retrievalResults) expect(metadata.category).toBe('billing');
  });

  it('answers the lexical baseline id by BM25 alone: a word no document uses finds nothing near', async () => {
    const lexical = await retrieve(
      'quantum chromodynamics',
      { numberOfResults: 3 },
      LEXICAL_BASELINE_KNOWLEDGE_BASE_ID,
    );
    const password = await retrieve(
      'reset password',
      { numberOfResults: 1 },
      LEXICAL_BASELINE_KNOWLEDGE_BASE_ID,
    );

    expect(lexical.retrievalResults.map((r) => r.score)).toEqual([0.3, 0.3, 0.3]);
    expect(password.retrievalResults[0]?.location.s3Location.uri).toBe(
      's3://local-knowledge-base/account-security.md',
    );
  });

  it('refuses numberOfResults outside 1-100 and a one-filter andAll with the service model’s wording', async () => {
    expect(await retrieve('password', { numberOfResults: 0 })).toMatchObject({
      status: 400,
      message:
        "1 validation error detected: Value '0' at 'retrievalConfiguration.vectorSearchConfiguration.numberOfResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
    expect(
      await retrieve('password', { filter: { andAll: [{ equals: { key: 'a', value: 1 } }] } }),
    ).toMatchObject({
      status: 400,
      message:
        "1 validation error detected: Value at 'retrievalConfiguration.vectorSearchConfiguration.filter.andAll' failed to satisfy constraint: Member must have length greater than or equal to 2",
    });
  });
});
