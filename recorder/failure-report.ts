import type { ForwardRequest } from '../emulator/bedrock-upstream.ts';

/**
 * The handlers see only an error code (MODEL_UNAVAILABLE…): what AWS answered, or why it could not be reached
 * (no credentials, no network), is also told in one line, for `npm run dev -- --bedrock aws` to print.
 */
export function withFailureReport(forward: ForwardRequest, onFailed: (line: string) => void): ForwardRequest {
  return async (request) => {
    const operation = new URL(request.url).pathname.split('/').at(-1);
    let answer: Response;
    try {
      answer = await forward(request);
    } catch (error) {
      if (!request.signal.aborted)
        onFailed(`${operation}: AWS could not be reached: ${(error as Error).message}`);
      throw error;
    }
    if (answer.status >= 400) {
      // AWS's error type carries a `:http://internal.amazon.com/…` suffix that the SDKs strip.
      const errorType = answer.headers.get('x-amzn-errortype')?.split(':')[0] ?? 'error';
      const body = (await answer
        .clone()
        .json()
        .catch(() => ({}))) as { message?: string; Message?: string };
      const message = body.message ?? body.Message;
      onFailed(`${operation}: AWS answered ${answer.status} ${errorType}${message ? `: ${message}` : ''}`);
    }
    return answer;
  };
}
