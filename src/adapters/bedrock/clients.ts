import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { type ClientLocation, createHttpHandler } from '../http-handler.ts';

export function createBedrockRuntimeClient(location: ClientLocation): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    region: location.region,
    endpoint: location.endpoint,
    requestHandler: createHttpHandler(),
    // Throttling (HTTP 429) is retried by the SDK before any token is streamed.
    maxAttempts: 3,
  });
}
