import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type ClientLocation, createHttpHandler } from '../http-handler.ts';

export function createDocumentClient(location: ClientLocation): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: location.region,
    endpoint: location.endpoint,
    requestHandler: createHttpHandler(),
    maxAttempts: 3,
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
