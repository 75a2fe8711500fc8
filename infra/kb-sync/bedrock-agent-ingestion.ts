import { createHash, createHmac, randomUUID } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Provider } from '@smithy/types';
import type { IngestionJob, IngestionJobs } from './sync-knowledge-base.ts';

/**
 * StartIngestionJob and GetIngestionJob of the Bedrock Agent API (bedrock-agent 2023-06-05: PUT
 * /knowledgebases/{kb}/datasources/{ds}/ingestionjobs/ and GET …/ingestionjobs/{id}), signed with SigV4 for the
 * service "bedrock". A hand-made client for two calls: the SDK's @aws-sdk/client-bedrock-agent is published
 * behind this project's SDK line, and mixing SDK versions costs more than these forty lines.
 */
export function createBedrockAgentIngestionJobs(options: {
  region: string;
  knowledgeBaseId: string;
  dataSourceId: string;
  credentials: AwsCredentialIdentity | Provider<AwsCredentialIdentity>;
  /** Default: https://bedrock-agent.<region>.amazonaws.com */
  endpoint?: string;
  fetch?: typeof fetch;
}): IngestionJobs {
  const endpoint = new URL(options.endpoint ?? `https://bedrock-agent.${options.region}.amazonaws.com`);
  const signer = new SignatureV4({
    service: 'bedrock',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
  });
  const send = options.fetch ?? fetch;
  const base = `/knowledgebases/${encodeURIComponent(options.knowledgeBaseId)}/datasources/${encodeURIComponent(options.dataSourceId)}/ingestionjobs/`;

  const call = async (method: 'PUT' | 'GET', path: string, body?: unknown): Promise<IngestionJob> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const signed = await signer.sign({
      method,
      protocol: endpoint.protocol,
      hostname: endpoint.hostname,
      ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
      path,
      headers: {
        host: endpoint.host,
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(payload === undefined ? {} : { body: payload }),
    });
    const response = await send(new URL(path, endpoint), {
      method,
      headers: signed.headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    if (!response.ok) {
      const type = response.headers.get('x-amzn-errortype')?.split(':')[0] ?? `HTTP ${response.status}`;
      const message = (safeJson(text) as { message?: string } | undefined)?.message ?? text;
      throw new Error(`Bedrock Agent ${method} ${path} failed: ${type}: ${message}`);
    }
    const job = (safeJson(text) as { ingestionJob?: IngestionJob } | undefined)?.ingestionJob;
    if (!job?.ingestionJobId || !job.status)
      throw new Error(`Bedrock Agent answered without an ingestion job: ${text}`);
    return job;
  };

  return {
    start: () => call('PUT', base, { clientToken: randomUUID() }),
    get: (ingestionJobId) => call('GET', `${base}${encodeURIComponent(ingestionJobId)}`),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The hash SignatureV4 asks for, from node:crypto (an HMAC when given a secret). */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }
  update(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

function toBuffer(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
