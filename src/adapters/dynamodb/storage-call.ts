import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StorageUnavailableError } from '../../chat/errors.ts';
import { DEFAULT_STORAGE_TIMEOUTS } from './document-client.ts';

/** Where a table lives and how long one call to it may take. */
export interface TableOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** The budget of each call, all its attempts included (DEFAULT_STORAGE_TIMEOUTS.budgetMs when unset). */
  budgetMs?: number;
}

/**
 * The options of one storage call: it gives up once its budget is spent, or as soon as the caller's `signal`
 * aborts (the Lambda deadline is near), instead of holding the Lambda until it dies.
 */
export function storageCall(table: TableOptions, signal?: AbortSignal): { abortSignal: AbortSignal } {
  const timeout = AbortSignal.timeout(table.budgetMs ?? DEFAULT_STORAGE_TIMEOUTS.budgetMs);
  return { abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout };
}

/** A failed storage call as the core's error: whatever went wrong, storage is unavailable to this request. */
export function storageUnavailable(error: unknown): StorageUnavailableError {
  return error instanceof StorageUnavailableError ? error : new StorageUnavailableError(error);
}
