import { describe, expect, it } from 'vitest';
import { withFailureReport } from '../../../recorder/failure-report.ts';

const request = () =>
  new Request('http://127.0.0.1:4010/model/us.anthropic.claude-haiku-4-5-20251001-v1%3A0/converse-stream', {
    method: 'POST',
    body: '{}',
  });

describe('withFailureReport (npm run dev -- --bedrock aws)', () => {
  it('tells in one line what AWS answered when it refuses a call, and passes the answer on unchanged', async () => {
    const lines: string[] = [];
    const forward = withFailureReport(
      async () =>
        new Response(
          JSON.stringify({ message: 'You don’t have access to the model with the specified model ID.' }),
          {
            status: 403,
            headers: {
              'content-type': 'application/json',
              'x-amzn-errortype':
                'AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/',
            },
          },
        ),
      (line) => lines.push(line),
    );

    const answer = await forward(request());

    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({
      message: 'You don’t have access to the model with the specified model ID.',
    });
    expect(lines).toEqual([
      'converse-stream: AWS answered 403 AccessDeniedException: You don’t have access to the model with the specified model ID.',
    ]);
  });

  it('tells why AWS could not be reached and still fails the call', async () => {
    const lines: string[] = [];
    const forward = withFailureReport(
      async () => {
        throw new Error('Could not load credentials from any providers');
      },
      (line) => lines.push(line),
    );

    await expect(forward(request())).rejects.toThrow('Could not load credentials');
    expect(lines).toEqual([
      'converse-stream: AWS could not be reached: Could not load credentials from any providers',
    ]);
  });

  it('says nothing about answers AWS gave', async () => {
    const lines: string[] = [];
    const forward = withFailureReport(
      async () => new Response('{}', { status: 200 }),
      (line) => lines.push(line),
    );

    await forward(request());
    expect(lines).toEqual([]);
  });
});
