import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBedrockAgentRuntimeClient,
  createBedrockKnowledgeBase,
} from '../../../../src/adapters/bedrock/knowledge-base.ts';

process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';

let request: { knowledgeBaseId: string; body: unknown } | undefined;
const server = setupServer(
  http.post('*/knowledgebases/:knowledgeBaseId/retrieve', async ({ request: req, params }) => {
    request = { knowledgeBaseId: String(params.knowledgeBaseId), body: await req.json() };
    return HttpResponse.json({
      retrievalResults: [
        {
          content: { text: 'Reset via Settings.', type: 'TEXT' },
          location: { type: 'S3', s3Location: { uri: 's3://docs/account.md' } },
          score: 0.71,
        },
        {
          content: { text: 'See the FAQ.' },
          location: { type: 'WEB', webLocation: { url: 'https://example.com/faq' } },
          score: 0.4,
        },
        { content: { text: 'Orphan.' } },
      ],
    });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('createBedrockKnowledgeBase', () => {
  it('calls Retrieve on the configured knowledge base and maps results to passages with their sources', async () => {
    const knowledgeBase = createBedrockKnowledgeBase({
      client: createBedrockAgentRuntimeClient({ region: 'us-east-1' }),
      knowledgeBaseId: 'KB12345678',
    });

    const passages = await knowledgeBase.retrieve('reset password', 3);

    expect(request).toEqual({
      knowledgeBaseId: 'KB12345678',
      body: {
        retrievalQuery: { text: 'reset password' },
        retrievalConfiguration: { vectorSearchConfiguration: { numberOfResults: 3 } },
      },
    });
    expect(passages).toEqual([
      { text: 'Reset via Settings.', source: 's3://docs/account.md', score: 0.71 },
      { text: 'See the FAQ.', source: 'https://example.com/faq', score: 0.4 },
      { text: 'Orphan.', source: 'unknown', score: 0 },
    ]);
  });
});
