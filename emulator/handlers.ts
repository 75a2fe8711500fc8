import { HttpResponse, http, type RequestHandler } from 'msw';
import type { Operation } from './bedrock-types.ts';
import type { Emulator } from './emulator.ts';

/**
 * msw handlers for the Bedrock endpoints the chat uses, on any host: `setupServer(...handlers)` serves them
 * in-process (unit tests), the standalone server serves them to serverless-offline and `npm run dev`.
 */
export function createBedrockHandlers(emulator: Emulator): RequestHandler[] {
  const serve =
    (operation: Operation, param: 'modelId' | 'knowledgeBaseId') =>
    async ({
      request,
      params,
    }: {
      request: Request;
      params: Record<string, string | readonly string[] | undefined>;
    }) => {
      // Model ids with ':' or '/' (ARNs, inference profiles) arrive URL-encoded.
      const target = decodeURIComponent(String(params[param] ?? ''));
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        return HttpResponse.json(
          { message: 'The request body is not valid JSON.' },
          { status: 400, headers: { 'x-amzn-errortype': 'SerializationException' } },
        );
      }
      return emulator.handle({ operation, target, body, headers: request.headers });
    };

  return [
    http.post('*/model/:modelId/converse-stream', serve('ConverseStream', 'modelId')),
    http.post('*/model/:modelId/converse', serve('Converse', 'modelId')),
    http.post('*/knowledgebases/:knowledgeBaseId/retrieve', serve('Retrieve', 'knowledgeBaseId')),
  ];
}
