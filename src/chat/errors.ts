import type { ErrorCode } from '../protocol/server-frame.ts';

/*
 * The chat core's errors, in one place. A ChatError knows the `error` frame it becomes (`code`, a message a
 * person can read, whether a retry may help), so routes map failures to frames without string matching. The
 * plain Errors at the end are signals between the core and its adapters; they never reach a client as such.
 * (A turn's interruption is not a failure: TurnInterrupted lives with the interrupts, in turn-interrupts.ts.)
 */

interface ChatErrorOptions {
  cause?: unknown;
  retryable?: boolean;
}

export abstract class ChatError extends Error {
  abstract readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(message: string, options: ChatErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable ?? false;
  }
}

export class ForbiddenError extends ChatError {
  override readonly name = 'ForbiddenError';
  readonly code = 'FORBIDDEN';
  constructor() {
    super('This session belongs to someone else.');
  }
}

export class RateLimitedError extends ChatError {
  override readonly name = 'RateLimitedError';
  readonly code = 'RATE_LIMITED';
  constructor(
    readonly limitPerMinute: number,
    readonly retryAfterSeconds: number,
  ) {
    super(
      `Too many messages: the limit is ${limitPerMinute} per minute. Try again in ${retryAfterSeconds} s.`,
      {
        retryable: true,
      },
    );
  }
}

export class SessionExpiredError extends ChatError {
  override readonly name = 'SessionExpiredError';
  readonly code = 'SESSION_EXPIRED';
  constructor() {
    super('This conversation has expired after 24 hours without activity. Start a new chat.');
  }
}

export class SessionConflictError extends ChatError {
  override readonly name = 'SessionConflictError';
  readonly code = 'SESSION_CONFLICT';
  constructor(cause?: unknown) {
    super('The conversation changed in another tab too often to save this answer. Please send it again.', {
      cause,
      retryable: true,
    });
  }
}

/** An attachment key outside the caller's own uploads for this session. */
export class AttachmentForbiddenError extends ChatError {
  override readonly name = 'AttachmentForbiddenError';
  readonly code = 'FORBIDDEN';
  constructor(fileName: string) {
    super(`${fileName}: this upload belongs to someone else, or to another chat.`);
  }
}

export class AttachmentUnsupportedError extends ChatError {
  override readonly name = 'AttachmentUnsupportedError';
  readonly code = 'ATTACHMENT_UNSUPPORTED';
}

export class AttachmentTooLargeError extends ChatError {
  override readonly name = 'AttachmentTooLargeError';
  readonly code = 'ATTACHMENT_TOO_LARGE';
}

export class AttachmentNotFoundError extends ChatError {
  override readonly name = 'AttachmentNotFoundError';
  readonly code = 'ATTACHMENT_NOT_FOUND';
  constructor(fileName: string) {
    super(`${fileName} was not uploaded, or its upload has expired. Attach it again.`);
  }
}

export class AttachmentUnreadableError extends ChatError {
  override readonly name = 'AttachmentUnreadableError';
  readonly code = 'ATTACHMENT_UNREADABLE';
}

/** The uploads bucket is not configured or not reachable. */
export class UploadsUnavailableError extends ChatError {
  override readonly name = 'UploadsUnavailableError';
  readonly code = 'UPLOADS_UNAVAILABLE';
  constructor(cause?: unknown) {
    super('Attachments are not available right now. Please try again in a moment.', {
      cause,
      retryable: true,
    });
  }
}

/** The turn is still being answered by another request (a retry came early), past this request's deadline. */
export class TurnInProgressError extends ChatError {
  override readonly name = 'TurnInProgressError';
  readonly code = 'TURN_IN_PROGRESS';
  constructor() {
    super('This answer is still being written by an earlier request. Try again in a moment to get it.', {
      retryable: true,
    });
  }
}

export class ModelThrottledError extends ChatError {
  override readonly name = 'ModelThrottledError';
  readonly code = 'MODEL_THROTTLED';
  constructor(cause?: unknown) {
    super('The model is busy right now. Please try again in a moment.', { cause, retryable: true });
  }
}

export class ModelRejectedError extends ChatError {
  override readonly name = 'ModelRejectedError';
  readonly code = 'MODEL_REJECTED';
  constructor(cause?: unknown) {
    super('The model rejected the request. Start a new chat if this keeps happening.', { cause });
  }
}

export class ModelStreamError extends ChatError {
  override readonly name = 'ModelStreamError';
  readonly code = 'MODEL_STREAM_ERROR';
  constructor(cause?: unknown) {
    super('The model stopped in the middle of its answer. Please try again.', { cause, retryable: true });
  }
}

export class ModelTimeoutError extends ChatError {
  override readonly name = 'ModelTimeoutError';
  readonly code = 'MODEL_TIMEOUT';
  constructor(readonly idleMs: number) {
    super(
      `The model sent nothing for ${Math.round(idleMs / 1000)} s, so the answer was stopped. Please try again.`,
      {
        retryable: true,
      },
    );
  }
}

export class ModelUnavailableError extends ChatError {
  override readonly name = 'ModelUnavailableError';
  readonly code = 'MODEL_UNAVAILABLE';
  constructor(cause?: unknown) {
    super('The model could not be reached. Please try again.', { cause, retryable: true });
  }
}

/** Offline only: the Bedrock emulator in strict mode has no recorded answer for this request. */
export class ModelFixtureMismatchError extends ChatError {
  override readonly name = 'ModelFixtureMismatchError';
  readonly code = 'MODEL_FIXTURE_MISMATCH';
  constructor(cause?: unknown) {
    super(
      'No recorded model answer matches this question (the Bedrock emulator is in strict mode). The dev terminal shows how it differs from the closest fixture.',
      { cause },
    );
  }
}

export class StorageUnavailableError extends ChatError {
  override readonly name = 'StorageUnavailableError';
  readonly code = 'STORAGE_UNAVAILABLE';
  /**
   * `unconfirmedSave`: the turn's save did not answer in time, so it may have been stored after all. A retry
   * with the same turn id finds out: a stored answer comes back as it was, without asking the model again.
   */
  readonly unconfirmedSave: boolean;

  constructor(cause?: unknown, options: { unconfirmedSave?: boolean } = {}) {
    super(
      options.unconfirmedSave
        ? 'Conversation storage did not confirm that this answer was saved. Try again: an answer that was saved comes back as it was, and nothing is asked twice.'
        : 'Conversation storage is unavailable. Nothing was lost; please try again shortly.',
      { cause, retryable: true },
    );
    this.unconfirmedSave = options.unconfirmedSave ?? false;
  }
}

/**
 * A turn too large to store, even after the answer was capped (e.g. a session stored by an older version).
 * Retrying cannot help.
 */
export class TurnTooLargeError extends ChatError {
  override readonly name = 'TurnTooLargeError';
  readonly code = 'TURN_TOO_LARGE';
  constructor(cause?: unknown) {
    super('This answer is too large to store in the conversation, so it was not saved. Start a new chat.', {
      cause,
    });
  }
}

/** Feedback named a turn the session does not hold. */
export class TurnNotFoundError extends ChatError {
  override readonly name = 'TurnNotFoundError';
  readonly code = 'TURN_NOT_FOUND';
  constructor() {
    super('This answer is not in the conversation (it may have failed, or the conversation was deleted).');
  }
}

/** A branch action (regenerate, editMessage, switchBranch) while an answer of the session is being written. */
export class AnswerStreamingError extends ChatError {
  override readonly name = 'AnswerStreamingError';
  readonly code = 'TURN_IN_PROGRESS';
  constructor() {
    super(
      'An answer is still being written in this conversation. Wait for it (or stop it), then try again.',
      {
        retryable: true,
      },
    );
  }
}

/**
 * A branch action (regenerate, editMessage, switchBranch) on a turn that is no longer in the window: folded
 * into the summary or trimmed away, so the model could not be shown the branch (docs/decisions/0027).
 */
export class TurnNotInWindowError extends ChatError {
  override readonly name = 'TurnNotInWindowError';
  readonly code = 'TURN_NOT_IN_WINDOW';
  constructor() {
    super(
      'This message is too far back: it is part of the summary now. Only recent messages can be edited, regenerated or switched.',
    );
  }
}

/** A version of a turn that `switchBranch` asked for and that is not stored (an index out of range, or expired). */
export class BranchNotFoundError extends ChatError {
  override readonly name = 'BranchNotFoundError';
  readonly code = 'TURN_NOT_FOUND';
  constructor() {
    super('That version of this message is not stored any more.');
  }
}

/** A `listSessions` cursor that this user's listing did not hand out. */
export class InvalidCursorError extends ChatError {
  override readonly name = 'InvalidCursorError';
  readonly code = 'INVALID_CURSOR';
  constructor() {
    super('The page cursor is not valid: list the conversations again from the start.');
  }
}

export class InternalError extends ChatError {
  override readonly name = 'InternalError';
  readonly code = 'INTERNAL';
  constructor(cause?: unknown) {
    super('Something went wrong on our side. Please try again.', { cause, retryable: true });
  }
}

/** An agent action (listHandoffs, claimHandoff, agentMessage, releaseHandoff) from outside the `agents` group. */
export class NotAnAgentError extends ChatError {
  override readonly name = 'NotAnAgentError';
  readonly code = 'FORBIDDEN';
  constructor() {
    super('Only agents may do this.');
  }
}

/** Another agent claimed the conversation first (one agent at a time). */
export class HandoffAlreadyClaimedError extends ChatError {
  override readonly name = 'HandoffAlreadyClaimedError';
  readonly code = 'HANDOFF_ALREADY_CLAIMED';
  constructor(readonly agentId: string) {
    super(`Another agent (${agentId}) already has this conversation.`);
  }
}

/** No open handoff for the session (or, for an agent's reply or release, none that this agent has claimed). */
export class HandoffNotFoundError extends ChatError {
  override readonly name = 'HandoffNotFoundError';
  readonly code = 'HANDOFF_NOT_FOUND';
  constructor(detail = 'This conversation is not waiting for or with a person.') {
    super(detail);
  }
}

/**
 * What was said in an open handoff reached its bound (MAX_HANDOFF_MESSAGE_BYTES): this message was not stored
 * or sent; everything before it is kept. The conversation goes back to the assistant (release or cancel) to go on.
 */
export class HandoffTooLongError extends ChatError {
  override readonly name = 'HandoffTooLongError';
  readonly code = 'HANDOFF_TOO_LONG';
  constructor(
    readonly limitBytes: number,
    by: 'agent' | 'user',
  ) {
    super(
      by === 'agent'
        ? `This conversation with the user has reached its length limit (${limitBytes / 1024} KiB of messages); this message was not sent. Hand it back to the assistant.`
        : `Your conversation with the person from support has reached its length limit; this message was not sent. Cancel to go back to the assistant.`,
    );
  }
}

/** Any failure as a ChatError: typed errors pass through, everything else becomes INTERNAL. */
export function toChatError(error: unknown): ChatError {
  return error instanceof ChatError ? error : new InternalError(error);
}

/** Thrown by SessionStore.save when the optimistic-concurrency condition fails. */
export class VersionConflictError extends Error {
  override readonly name = 'VersionConflictError';
  constructor(
    readonly sessionId: string,
    readonly expectedVersion: number,
    cause?: unknown,
  ) {
    super(`Session ${sessionId} is no longer at version ${expectedVersion}`, { cause });
  }
}

/** The client's connection is gone (API Gateway answered 410): nothing more can be sent to it. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
  constructor(cause?: unknown) {
    super('The client connection is gone', { cause });
  }
}

/** Thrown by MemoryStore.add when the user already has as many memories as allowed. */
export class MemoryFullError extends Error {
  override readonly name = 'MemoryFullError';
  constructor(readonly cap: number) {
    super(`The user already has ${cap} memories, the most allowed.`);
  }
}

/** A failure the model should read (bad argument, nothing found). Other tool errors are reported generically. */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}
