import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

/** Every item a Query finds, page after page, each page a bounded storage call; a failure is typed. */
export async function queryAll(
  table: TableOptions,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await table.client.send(
        new QueryCommand({ ...input, TableName: table.tableName, ExclusiveStartKey: startKey }),
        storageCall(table),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } catch (error) {
    throw storageUnavailable(error);
  }
  return items;
}
