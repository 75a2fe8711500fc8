import {
  type ChatError,
  ModelFixtureMismatchError,
  ModelRejectedError,
  ModelStreamError,
  ModelThrottledError,
  ModelUnavailableError,
} from '../../chat/errors.ts';

const REJECTED = new Set([
  'ValidationException',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ModelNotReadyException',
  'ModelErrorException',
]);

/** Bedrock exceptions (thrown by `send` or from inside the event stream) as typed chat errors. */
export function toModelError(error: unknown): ChatError {
  const name = error instanceof Error ? error.name : '';
  if (name === 'ThrottlingException' || name === 'ServiceQuotaExceededException')
    return new ModelThrottledError(error);
  if (name === 'ModelStreamErrorException') return new ModelStreamError(error);
  if (REJECTED.has(name)) return new ModelRejectedError(error);
  // Never sent by AWS: the offline emulator's strict mode found no fixture for the request (docs/emulator.md).
  if (name === 'EmulatorFixtureMismatch') return new ModelFixtureMismatchError(error);
  return new ModelUnavailableError(error);
}
