import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { RateLimitedError } from '../../chat/errors.ts';
import type { Clock, TurnRateLimiter } from '../../chat/ports.ts';
import { rateWindowKey } from './keys.ts';
import { storageCall, storageUnavailable, type TableOptions } from './storage-call.ts';

/**
 * A fixed one-minute window per key, counted with one atomic ADD (no read-modify-write, so concurrent turns
 * cannot both slip under the limit). Window items expire on their own via TTL.
 */
export function createDynamoDbRateLimiter(
  options: TableOptions & { limitPerMinute: number; clock: Clock },
): TurnRateLimiter {
  return {
    async acquire(key) {
      const now = options.clock.now();
      const window = Math.floor(now / 60_000);
      let count: number;
      try {
        const { Attributes } = await options.client.send(
          new UpdateCommand({
            TableName: options.tableName,
            Key: rateWindowKey(key, window),
            UpdateExpression: 'ADD #count :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: { ':one': 1, ':expiresAt': (window + 2) * 60 },
            ReturnValues: 'UPDATED_NEW',
          }),
          storageCall(options),
        );
        count = Number(Attributes?.count ?? 1);
      } catch (error) {
        throw storageUnavailable(error);
      }
      if (count > options.limitPerMinute) {
        throw new RateLimitedError(options.limitPerMinute, Math.ceil(((window + 1) * 60_000 - now) / 1000));
      }
    },
  };
}
