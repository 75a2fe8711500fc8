import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import type { ConverseBody } from '../../../emulator/bedrock-types.ts';
import { REPOSITORY_ROOT } from '../../../emulator/repository-paths.ts';

/** One real request and Bedrock's answer to it, from fixtures/conformance (provenance in its README). */
export interface Recording {
  /** `<file>#<n>`, to name it in test titles. */
  name: string;
  operation: 'Converse' | 'ConverseStream';
  modelId: string;
  /** The region it was recorded in. */
  region: string;
  /** The request body, when the recording has it. */
  request?: ConverseBody;
  status: number;
  /** `content-type` and `x-amzn-errortype` as received. */
  headers: Record<string, string>;
  /** ConverseStream: the event stream's exact bytes. */
  stream?: Uint8Array;
  /** Converse and errors: the JSON body. */
  json?: Record<string, unknown>;
}

export const CONFORMANCE_DIR = join(REPOSITORY_ROOT, 'fixtures', 'conformance');

interface Cassette {
  interactions: Array<{
    request: { body: string; uri: string };
    response: {
      status: { code: number };
      headers: Record<string, string[] | string>;
      body: { string: string | Uint8Array };
    };
  }>;
}

/** Every exchange of the botocore instrumentation cassettes (vcrpy YAML). */
function otelRecordings(): Recording[] {
  const dir = join(CONFORMANCE_DIR, 'otel');
  return readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const cassette = load(readFileSync(join(dir, file), 'utf8')) as Cassette;
      return cassette.interactions.map((interaction, index): Recording => {
        const url = new URL(interaction.request.uri);
        const [, , encodedModel = '', action = ''] = url.pathname.split('/');
        const headers = Object.fromEntries(
          Object.entries(interaction.response.headers)
            .map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? (value[0] ?? '') : value])
            .filter(([name]) => name === 'content-type' || name === 'x-amzn-errortype'),
        );
        const body = interaction.response.body.string;
        const isStream = headers['content-type'] === 'application/vnd.amazon.eventstream';
        return {
          name: `${file}#${index + 1}`,
          operation: action === 'converse-stream' ? 'ConverseStream' : 'Converse',
          modelId: decodeURIComponent(encodedModel),
          region: url.hostname.split('.')[1] ?? 'us-east-1',
          request: JSON.parse(interaction.request.body) as ConverseBody,
          status: interaction.response.status.code,
          headers,
          ...(isStream
            ? { stream: body instanceof Uint8Array ? body : new TextEncoder().encode(body) }
            : { json: JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)) }),
        };
      });
    });
}

const vercelFile = (file: string) =>
  JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'vercel', file), 'utf8')) as Record<string, unknown>;

/** The Vercel AI SDK's live ConverseStream capture and its recorded error. */
function vercelRecordings(): Recording[] {
  const live = vercelFile('issue-18994-live-converse-stream.json') as {
    modelId: string;
    region: string;
    prompt: string;
    response: { status: number; contentType: string; bodyBase64: string };
  };
  const error = vercelFile('amazon-bedrock-empty-message-validation-error.json') as {
    modelId: string;
    status: number;
    headers: Record<string, string>;
    body: Record<string, unknown>;
  };
  return [
    {
      name: 'issue-18994-live-converse-stream.json',
      operation: 'ConverseStream',
      modelId: live.modelId,
      region: live.region,
      request: { messages: [{ role: 'user', content: [{ text: live.prompt }] }] },
      status: live.response.status,
      headers: { 'content-type': live.response.contentType },
      stream: new Uint8Array(Buffer.from(live.response.bodyBase64, 'base64')),
    },
    {
      name: 'amazon-bedrock-empty-message-validation-error.json',
      operation: 'ConverseStream',
      modelId: error.modelId,
      region: 'us-east-1',
      status: error.status,
      headers: error.headers,
      json: error.body,
    },
  ];
}

/** Converse bodies published without their request (key sets and types only). */
export function recordedConverseBodies(): Array<{ name: string; json: Record<string, unknown> }> {
  return [
    'issue-11363-stop-sequence-null.json',
    'amazon-bedrock-guard-content-intervened.json',
    'amazon-bedrock-reasoning.json',
  ].map((name) => ({ name, json: vercelFile(name) }));
}

/** Every recording with its exact response. */
export const RECORDINGS: readonly Recording[] = [...otelRecordings(), ...vercelRecordings()];
