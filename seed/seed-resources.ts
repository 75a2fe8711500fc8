import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { putResources } from '../src/adapters/dynamodb/resource-catalog.ts';

const resourcesSchema = z.array(
  z.object({
    name: z.string().min(1),
    url: z.url(),
    owner: z.string().min(1),
    description: z.string().min(1),
  }),
);

/*
 * The demo resource catalogue, shared by the offline stack (local/stack.ts seeds DynamoDB Local), the deploy
 * script (`npm run deploy -- --seed-resources`) and the fixture recorder (an in-memory catalogue).
 */

/** The resource catalogue the `lookup_resource` tool reads, from `fixtures/resources.json`. */
export function readResourceFixtures(root: string) {
  return resourcesSchema.parse(JSON.parse(readFileSync(join(root, 'fixtures', 'resources.json'), 'utf8')));
}

/** Writes the resource catalogue into the chat table (offline: DynamoDB Local; on AWS: `--seed-resources`). */
export async function seedResources(options: {
  root: string;
  tableName: string;
  client: DynamoDBDocumentClient;
}) {
  const resources = readResourceFixtures(options.root);
  await putResources({ client: options.client, tableName: options.tableName }, resources);
  return resources.length;
}
