import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider, HttpRequest } from '@smithy/types';

/** Where real Bedrock calls go, and as whom. */
export interface UpstreamOptions {
  region: string;
  /** The caller's own credentials (profile, SSO, environment); never the local stack's dummy keys. */
  credentials: AwsCredentialIdentityProvider;
  /** Another endpoint for both services (a second emulator in tests); absent: AWS's, in `region`. */
  endpoint?: string;
  /** The knowledge base Retrieve calls go to; absent: the id in the request. */
  knowledgeBaseId?: string;
}

/** Sends a Bedrock request, as the local stack made it, to AWS instead: re-signed as the developer. */
export type ForwardRequest = (request: Request) => Promise<Response>;

/**
 * The local stack's handlers sign with dummy keys and call the emulator's endpoint; with `--bedrock aws` the
 * emulator forwards each model and Retrieve call to Bedrock, signed anew with the developer's credentials, so the
 * handlers never hold real ones and everything else stays local. The answer streams back as it arrives.
 */
export function createBedrockForwarder(options: UpstreamOptions): ForwardRequest {
  const signer = new SignatureV4({
    service: 'bedrock',
    region: options.region,
    credentials: options.credentials,
    sha256: NodeSha256,
    applyChecksum: true,
  });
  return async (request) => {
    const incoming = new URL(request.url);
    const retrieve = /\/knowledgebases\/[^/]+\/retrieve$/.test(incoming.pathname);
    const path =
      retrieve && options.knowledgeBaseId
        ? incoming.pathname.replace(
            /\/knowledgebases\/[^/]+\//,
            `/knowledgebases/${options.knowledgeBaseId}/`,
          )
        : incoming.pathname;
    const base = new URL(
      options.endpoint ??
        `https://${retrieve ? 'bedrock-agent-runtime' : 'bedrock-runtime'}.${options.region}.amazonaws.com`,
    );
    const body = await request.text();
    const unsigned: HttpRequest = {
      method: 'POST',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path,
      query: {},
      headers: {
        host: base.host,
        'content-type': 'application/json',
        accept: request.headers.get('accept') ?? 'application/json',
      },
      body,
    };
    const signed = await signer.sign(unsigned);
    const answer = await fetch(new URL(path, base), {
      method: 'POST',
      headers: signed.headers as Record<string, string>,
      body,
      signal: request.signal,
    });
    // Transfer details belong to the hop from AWS, not to the answer passed on.
    const headers = new Headers(answer.headers);
    for (const name of ['connection', 'transfer-encoding', 'content-encoding', 'content-length', 'date'])
      headers.delete(name);
    return new Response(answer.body, { status: answer.status, headers });
  };
}

type Data = string | ArrayBuffer | ArrayBufferView;

const bytesOf = (data: Data): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 and HMAC-SHA-256 from node:crypto, in the shape the SigV4 signer takes. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytesOf(secret));
  }
  update(data: Data): void {
    this.hash.update(bytesOf(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
