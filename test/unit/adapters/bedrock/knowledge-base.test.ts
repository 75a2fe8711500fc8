import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBedrockAgentRuntimeClient,
  createBedrockKnowledgeBase,
  titleFrom,
} from '../../../../src/adapters/bedrock/knowledge-base.ts';

process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

/*
 * Result shapes as Bedrock returns them: `content.text`, `location.s3Location.uri` (type S3) or
 * `webLocation.url` (type WEB), `score`, and `metadata` holding `x-amz-bedrock-kb-source-uri`,
 * `x-amz-bedrock-kb-chunk-id` (`1%3A0%3A…` on OpenSearch Serverless) and `x-amz-bedrock-kb-data-source-id` next
 * to the document's own attributes (`year: 2020.0`). Shapes: botocore's bedrock-agent-runtime model
 * (KnowledgeBaseRetrievalResult); values: a printed boto3 Retrieve response over the Amazon 10-K sample
 * knowledge base, public on GitHub (found with `find_string x-amz-bedrock-kb-chunk-id`).
 */
let request: { knowledgeBaseId: string; body: unknown } | undefined;
const server = setupServer(
  http.post('*/knowledgebases/:knowledgeBaseId/retrieve', async ({ request: req, params }) => {
    request = { knowledgeBaseId: String(params.knowledgeBaseId), body: await req.json() };
    return HttpResponse.json({
      retrievalResults: [
        {
          content: { text: 'Bezos 57 President, Chief Executive Officer ...' },
          location: {
            s3Location: { uri: 's3://amazon10kfiles/Amazon 2020 10K Annual report.pdf' },
            type: 'S3',
          },
          metadata: {
            'x-amz-bedrock-kb-chunk-id': '1%3A0%3AmccQM5EBxA6rr6aO09_T',
            'x-amz-bedrock-kb-data-source-id': 'OC4SGRWFRX',
            'x-amz-bedrock-kb-source-uri': 's3://amazon10kfiles/Amazon 2020 10K Annual report.pdf',
            year: 2020.0,
          },
          score: 0.6288845,
        },
        {
          content: { text: 'See the FAQ.' },
          location: { type: 'WEB', webLocation: { url: 'https://example.com/faq' } },
          metadata: { title: 'Frequently asked questions' },
          score: 0.4,
        },
        { content: { text: 'Orphan.' } },
      ],
    });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const knowledgeBase = () =>
  createBedrockKnowledgeBase({
    client: createBedrockAgentRuntimeClient({ region: 'us-east-1' }),
    knowledgeBaseId: 'KB12345678',
  });

describe('createBedrockKnowledgeBase', () => {
  it('calls Retrieve on the configured knowledge base and maps results to passages with ids, titles and links', async () => {
    const passages = await knowledgeBase().retrieve({ query: 'reset password', numberOfResults: 3 });

    expect(request).toEqual({
      knowledgeBaseId: 'KB12345678',
      body: {
        retrievalQuery: { text: 'reset password' },
        retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } },
      },
    });
    expect(passages).toEqual([
      {
        id: '1%3A0%3AmccQM5EBxA6rr6aO09_T',
        text: 'Bezos 57 President, Chief Executive Officer ...',
        source: 's3://amazon10kfiles/Amazon 2020 10K Annual report.pdf',
        title: 'Amazon 2020 10K Annual report',
        score: 0.6288845,
      },
      {
        id: expect.stringMatching(/^sha256:[\w-]{22}$/),
        text: 'See the FAQ.',
        source: 'https://example.com/faq',
        title: 'Frequently asked questions',
        url: 'https://example.com/faq',
        score: 0.4,
      },
      {
        id: expect.stringMatching(/^sha256:/),
        text: 'Orphan.',
        source: 'unknown',
        title: 'Unknown',
        score: 0,
      },
    ]);
  });

  it('gives a result without a chunk id the same id on every call', async () => {
    const [, first] = await knowledgeBase().retrieve({ query: 'a', numberOfResults: 3 });
    const [, second] = await knowledgeBase().retrieve({ query: 'b', numberOfResults: 3 });
    expect(first?.id).toBe(second?.id);
  });

  it('sends the search type, the metadata filter and a Bedrock reranker as Retrieve expects them', async () => {
    const filter = { equals: { key: 'category', value: 'billing' } };
    await knowledgeBase().retrieve({
      query: 'refund',
      numberOfResults: 5,
      searchType: 'HYBRID',
      filter,
      rerankModelArn: 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0',
    });
    expect(request?.body).toEqual({
      retrievalQuery: { text: 'refund' },
      retrievalConfiguration: {
        vectorSearchConfiguration: {
          numberOfResults: 5,
          overrideSearchType: 'HYBRID',
          filter,
          rerankingConfiguration: {
            type: 'BEDROCK_RERANKING_MODEL',
            bedrockRerankingConfiguration: {
              modelConfiguration: {
                modelArn: 'arn:aws:bedrock:us-west-2::foundation-model/amazon.rerank-v1:0',
              },
              numberOfRerankedResults: 5,
            },
          },
        },
      },
    });
  });
});

describe('titleFrom', () => {
  it('turns a document location into a title', () => {
    expect(titleFrom('s3://kb/account-security.md')).toBe('Account security');
    expect(titleFrom('s3://kb/docs/billing_and_plans.pdf')).toBe('Billing and plans');
    expect(titleFrom('s3://kb/Amazon%202020.pdf')).toBe('Amazon 2020');
  });
});
