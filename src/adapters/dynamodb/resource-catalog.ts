import { BatchWriteCommand, type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Resource, ResourceCatalog } from '../../chat/ports.ts';
import { toResourceSlug } from '../../chat/resource-slug.ts';
import { resourceKey } from './keys.ts';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

/** The resource catalogue, kept in the chat table as `RESOURCE#<slug>` items. */
export function createDynamoDbResourceCatalog(options: TableOptions): ResourceCatalog {
  const { client, tableName } = options;
  return {
    async find(name) {
      const slug = toResourceSlug(name);
      if (slug === '') return undefined;
      try {
        const { Item } = await client.send(
          new GetCommand({ TableName: tableName, Key: resourceKey(slug) }),
          storageCall(options),
        );
        if (!Item) return undefined;
        const { name: itemName, url, owner, description } = Item as Resource;
        return { name: itemName, url, owner, description };
      } catch (error) {
        throw storageUnavailable(error);
      }
    },
  };
}

/**
 * Writes resources in this catalogue's item layout, 25 per batch as DynamoDB allows. For seeding only (seed/):
 * the handlers never write the catalogue.
 */
export async function putResources(
  options: { client: DynamoDBDocumentClient; tableName: string },
  resources: Resource[],
): Promise<void> {
  for (let start = 0; start < resources.length; start += 25) {
    const batch = resources.slice(start, start + 25).map((resource) => ({
      PutRequest: { Item: { ...resourceKey(toResourceSlug(resource.name)), ...resource } },
    }));
    let unprocessed: Record<string, unknown[]> | undefined = { [options.tableName]: batch };
    while (unprocessed && Object.keys(unprocessed).length > 0) {
      const result = await options.client.send(new BatchWriteCommand({ RequestItems: unprocessed as never }));
      unprocessed = result.UnprocessedItems as Record<string, unknown[]> | undefined;
    }
  }
}
