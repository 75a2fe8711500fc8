import { describe, expect, it } from 'vitest';
import { createBedrockAgentIngestionJobs } from '../../../../infra/kb-sync/bedrock-agent-ingestion.ts';

/** What bedrock-agent answers (shape of IngestionJob in the service model). */
const job = (status: string) => ({
  ingestionJob: {
    knowledgeBaseId: 'KB12345678',
    dataSourceId: 'DS12345678',
    ingestionJobId: 'JOB1234567',
    status,
    statistics: { numberOfDocumentsScanned: 34 },
    startedAt: '2026-11-30T08:00:00Z',
    updatedAt: '2026-11-30T08:00:05Z',
  },
});

function recordingFetch(
  responses: Array<{ status: number; body: unknown; headers?: Record<string, string> }>,
) {
  const requests: Array<{ url: string; method: string; headers: Record<string, string>; body?: string }> = [];
  const fake = (async (input: URL | string, init: RequestInit = {}) => {
    requests.push({
      url: String(input),
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      ...(typeof init.body === 'string' ? { body: init.body } : {}),
    });
    const next = responses.shift() ?? { status: 500, body: {} };
    return new Response(JSON.stringify(next.body), { status: next.status, headers: next.headers ?? {} });
  }) as typeof fetch;
  return { fake, requests };
}

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe('the Bedrock Agent ingestion client (stubbed transport)', () => {
  it('starts a job with PUT …/ingestionjobs/ and a client token, signed for the bedrock service', async () => {
    const { fake, requests } = recordingFetch([{ status: 202, body: job('STARTING') }]);
    const jobs = createBedrockAgentIngestionJobs({
      region: 'eu-west-1',
      knowledgeBaseId: 'KB12345678',
      dataSourceId: 'DS12345678',
      credentials,
      fetch: fake,
    });

    expect(await jobs.start()).toMatchObject({ ingestionJobId: 'JOB1234567', status: 'STARTING' });
    const [request] = requests;
    expect(request?.method).toBe('PUT');
    expect(request?.url).toBe(
      'https://bedrock-agent.eu-west-1.amazonaws.com/knowledgebases/KB12345678/datasources/DS12345678/ingestionjobs/',
    );
    expect(JSON.parse(request?.body ?? '{}').clientToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
  });

  it('reads a job with GET …/ingestionjobs/{id}, statistics included', async () => {
    const { fake, requests } = recordingFetch([{ status: 200, body: job('COMPLETE') }]);
    const jobs = createBedrockAgentIngestionJobs({
      region: 'us-east-1',
      knowledgeBaseId: 'KB12345678',
      dataSourceId: 'DS12345678',
      credentials: async () => credentials,
      fetch: fake,
    });

    expect(await jobs.get('JOB1234567')).toMatchObject({
      status: 'COMPLETE',
      statistics: { numberOfDocumentsScanned: 34 },
    });
    expect(requests[0]).toMatchObject({
      method: 'GET',
      url: 'https://bedrock-agent.us-east-1.amazonaws.com/knowledgebases/KB12345678/datasources/DS12345678/ingestionjobs/JOB1234567',
    });
  });

  it('turns an AWS error into a message with its type', async () => {
    const { fake } = recordingFetch([
      {
        status: 409,
        body: { message: 'An ingestion job is already running.' },
        headers: { 'x-amzn-errortype': 'ConflictException:http://internal.amazon.com/' },
      },
    ]);
    const jobs = createBedrockAgentIngestionJobs({
      region: 'us-east-1',
      knowledgeBaseId: 'KB12345678',
      dataSourceId: 'DS12345678',
      credentials,
      fetch: fake,
    });

    await expect(jobs.start()).rejects.toThrow('ConflictException: An ingestion job is already running.');
  });
});
