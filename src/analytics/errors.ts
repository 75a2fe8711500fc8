import { ChatError } from '../chat/errors.ts';

/** Usage statistics are for the `admins` group only. */
export class AdminOnlyError extends ChatError {
  override readonly name = 'AdminOnlyError';
  readonly code = 'FORBIDDEN';
  constructor() {
    super('Usage statistics are for admins only (the "admins" group).');
  }
}

/** A `getStats` range the service will not read at once. */
export class StatsRangeError extends ChatError {
  override readonly name = 'StatsRangeError';
  readonly code = 'INVALID_FRAME';
}
