import { HttpResponse, http, type RequestHandler } from 'msw';
import type { Operation } from './bedrock-types.ts';
import type { Emulator } from './emulator.ts';
import { checkSignature } from './request-signature.ts';

/** One Bedrock operation the chat uses, on any host (AWS, a local emulator, a fake upstream). */
export interface BedrockRoute {
  operation: Operation;
  path: string;
  /** The path parameter naming the model or knowledge base. */
  param: 'modelId' | 'knowledgeBaseId';
}

export const BEDROCK_ROUTES: readonly BedrockRoute[] = [
  { operation: 'ConverseStream', path: '*/model/:modelId/converse-stream', param: 'modelId' },
  { operation: 'Converse', path: '*/model/:modelId/converse', param: 'modelId' },
  { operation: 'Retrieve', path: '*/knowledgebases/:knowledgeBaseId/retrieve', param: 'knowledgeBaseId' },
];

/** The model or knowledge base id of a matched route. */
export function routeTarget(
  route: BedrockRoute,
  params: Record<string, string | readonly string[] | undefined>,
): string {
  // Model ids with ':' or '/' (ARNs, inference profiles) arrive URL-encoded.
  return decodeURIComponent(String(params[route.param] ?? ''));
}

/**
 * msw handlers for the Bedrock endpoints the chat uses: `setupServer(...handlers)` serves them in-process
 * (unit tests), the standalone server serves them to serverless-offline and `npm run dev`.
 */
export function createBedrockHandlers(emulator: Emulator): RequestHandler[] {
  return BEDROCK_ROUTES.map((route) =>
    http.post(route.path, async ({ request, params }) => {
      // AWS checks credentials before it reads the body.
      const signature = checkSignature(request.headers);
      let body: unknown;
      try {
        body = await request.json();
      } catch {
        if (!signature.ok) body = {};
        else
          return HttpResponse.json(
            { message: 'The request body is not valid JSON.' },
            { status: 400, headers: { 'x-amzn-errortype': 'SerializationException' } },
          );
      }
      return emulator.handle({
        operation: route.operation,
        target: routeTarget(route, params),
        body,
        headers: request.headers,
        signature,
      });
    }),
  );
}
