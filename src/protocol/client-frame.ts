import * as z from 'zod/mini';
import { MAX_ATTACHMENT_NAME_LENGTH, MAX_ATTACHMENTS_PER_MESSAGE } from './attachments.ts';
import { handoffClientSchemas } from './handoff-frames.ts';
import type { ErrorCode } from './server-frame.ts';
import { utf8Length } from './utf8-length.ts';

/** API Gateway drops WebSocket frames over 32 KB; offline does not, so the limit is enforced here. */
export const MAX_FRAME_BYTES = 32 * 1024;

// Random (version 4) UUIDs only: a session id is the key to a conversation, so it must not be guessable
// (time-based or nil UUIDs are).
const sessionId = z.uuidv4({ error: 'sessionId must be a random (version 4) UUID' });
const turnId = z.uuidv4({ error: 'turnId must be a random (version 4) UUID' });
const uploadId = z.uuidv4({ error: 'uploadId must be a random (version 4) UUID' });
const fileName = z
  .string({ error: 'name must be a string' })
  .check(
    z.minLength(1, 'name must not be empty'),
    z.maxLength(MAX_ATTACHMENT_NAME_LENGTH, `name must be at most ${MAX_ATTACHMENT_NAME_LENGTH} characters`),
  );

/** A file uploaded with `createUpload`'s presigned POST, named by its key (docs/protocol.md, Attachments). */
const attachmentReference = z.object({
  key: z.string({ error: 'key must be a string' }).check(z.minLength(1), z.maxLength(1024)),
  name: fileName,
});

const sendMessageFrame = z.object({
  action: z.literal('sendMessage'),
  sessionId,
  message: z
    .string({ error: 'message must be a string' })
    .check(z.refine((text) => text.trim().length > 0, 'message must not be empty')),
  /** Optional: lets the client know the turn id before the first frame arrives. */
  turnId: z.optional(turnId),
  /** Optional: files uploaded for this question (images and documents the model reads with it). */
  attachments: z.optional(
    z
      .array(attachmentReference)
      .check(
        z.maxLength(
          MAX_ATTACHMENTS_PER_MESSAGE,
          `at most ${MAX_ATTACHMENTS_PER_MESSAGE} attachments per message`,
        ),
      ),
  ),
});

/** Asks for a presigned POST to upload one file to (answered by an `upload` frame). */
const createUploadFrame = z.object({
  action: z.literal('createUpload'),
  sessionId,
  /** Chosen by the client; echoed in the `upload` frame (or the `error` frame) that answers. */
  uploadId,
  name: fileName,
  /** The file's size in bytes, checked against Bedrock's limits before anything is signed. */
  size: z.number({ error: 'size must be a number' }).check(z.int(), z.positive('size must be positive')),
});

const getHistoryFrame = z.object({ action: z.literal('getHistory'), sessionId });
const cancelFrame = z.object({
  action: z.literal('cancel'),
  sessionId,
  turnId,
  /** Optional: the last `seq` of the turn the client showed; the answer is kept up to it (-1: none yet). */
  seenSeq: z.optional(z.number({ error: 'seenSeq must be a number' }).check(z.int(), z.minimum(-1))),
});
const resumeFrame = z.object({ action: z.literal('resume'), sessionId, turnId });
const getUsageFrame = z.object({ action: z.literal('getUsage'), sessionId: z.optional(sessionId) });
const listMemoriesFrame = z.object({ action: z.literal('listMemories') });
/** Without `memoryId`: forget everything. */
const deleteMemoryFrame = z.object({
  action: z.literal('deleteMemory'),
  memoryId: z.optional(z.uuidv4({ error: 'memoryId must be the id of a memory (a UUID)' })),
});

/** Most characters of a session title (a rename, or a generated one). */
export const MAX_TITLE_CHARS = 120;
/** Most characters of a feedback comment. */
export const MAX_FEEDBACK_COMMENT_CHARS = 2000;

const nonBlank = (what: string) =>
  z.refine<string>((text) => text.trim().length > 0, `${what} must not be empty`);

const listSessionsFrame = z.object({
  action: z.literal('listSessions'),
  /** The `cursor` of the previous `sessions` frame: the next page. */
  cursor: z.optional(z.string({ error: 'cursor must be a string' }).check(z.maxLength(2048))),
  /** Only sessions whose title or text contains this (case-insensitive). */
  query: z.optional(z.string({ error: 'query must be a string' }).check(z.maxLength(200))),
});
const renameSessionFrame = z.object({
  action: z.literal('renameSession'),
  sessionId,
  title: z
    .string({ error: 'title must be a string' })
    .check(
      nonBlank('title'),
      z.maxLength(MAX_TITLE_CHARS, `title must be at most ${MAX_TITLE_CHARS} characters`),
    ),
});
const deleteSessionFrame = z.object({ action: z.literal('deleteSession'), sessionId });
/**
 * A new answer to the last question, made the active branch (docs/decisions/0027). `newTurnId` plays the part
 * `turnId` plays in `sendMessage`: the new turn's id, reused by a retry.
 */
const regenerateFrame = z.object({
  action: z.literal('regenerate'),
  sessionId,
  newTurnId: z.optional(turnId),
});
/** The question of turn `turnId` asked again as `message`: a new branch from there on. */
const editMessageFrame = z.object({
  action: z.literal('editMessage'),
  sessionId,
  turnId,
  message: z
    .string({ error: 'message must be a string' })
    .check(z.refine((text) => text.trim().length > 0, 'message must not be empty')),
  newTurnId: z.optional(turnId),
});
/** Makes version `index` (0-based, oldest first) of turn `turnId` the active branch; answered by `history`. */
const switchBranchFrame = z.object({
  action: z.literal('switchBranch'),
  sessionId,
  turnId,
  index: z
    .number({ error: 'index must be a number' })
    .check(z.int(), z.minimum(0, 'index must be 0 or more')),
});
const sendFeedbackFrame = z.object({
  action: z.literal('sendFeedback'),
  sessionId,
  turnId,
  rating: z.enum(['up', 'down'], { error: 'rating must be "up" or "down"' }),
  comment: z.optional(
    z
      .string({ error: 'comment must be a string' })
      .check(
        z.maxLength(
          MAX_FEEDBACK_COMMENT_CHARS,
          `comment must be at most ${MAX_FEEDBACK_COMMENT_CHARS} characters`,
        ),
      ),
  ),
});
/** The longest range `getStats` reads at once: an hourly series of a month fits one frame. */
export const MAX_STATS_RANGE_MS = 31 * 24 * 3_600_000;
const instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 date and time, e.g. 2026-11-30T10:00:00Z',
});
const getStatsFrame = z
  .object({
    action: z.literal('getStats'),
    since: instant,
    /** Default: now. */
    until: z.optional(instant),
    /** Only this user's figures. */
    userId: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  })
  .check(
    z.refine(
      ({ since, until }) => until === undefined || Date.parse(since) < Date.parse(until),
      'since must be before until',
    ),
  );

const schemasByAction = {
  sendMessage: sendMessageFrame,
  getHistory: getHistoryFrame,
  cancel: cancelFrame,
  resume: resumeFrame,
  getUsage: getUsageFrame,
  createUpload: createUploadFrame,
  listSessions: listSessionsFrame,
  renameSession: renameSessionFrame,
  deleteSession: deleteSessionFrame,
  sendFeedback: sendFeedbackFrame,
  regenerate: regenerateFrame,
  editMessage: editMessageFrame,
  switchBranch: switchBranchFrame,
  getStats: getStatsFrame,
  listMemories: listMemoriesFrame,
  deleteMemory: deleteMemoryFrame,
  ...handoffClientSchemas,
} as const;

export type ClientAction = keyof typeof schemasByAction;
export const CLIENT_ACTIONS = Object.keys(schemasByAction) as ClientAction[];

export type SendMessageFrame = z.infer<typeof sendMessageFrame>;
export type GetHistoryFrame = z.infer<typeof getHistoryFrame>;
export type CancelFrame = z.infer<typeof cancelFrame>;
export type ResumeFrame = z.infer<typeof resumeFrame>;
export type CreateUploadFrame = z.infer<typeof createUploadFrame>;
export type AttachmentReference = z.infer<typeof attachmentReference>;
export type ListSessionsFrame = z.infer<typeof listSessionsFrame>;
export type RenameSessionFrame = z.infer<typeof renameSessionFrame>;
export type DeleteSessionFrame = z.infer<typeof deleteSessionFrame>;
export type SendFeedbackFrame = z.infer<typeof sendFeedbackFrame>;
export type RegenerateFrame = z.infer<typeof regenerateFrame>;
export type EditMessageFrame = z.infer<typeof editMessageFrame>;
export type SwitchBranchFrame = z.infer<typeof switchBranchFrame>;
export type GetStatsFrame = z.infer<typeof getStatsFrame>;
export type ClientFrame = { [A in ClientAction]: z.infer<(typeof schemasByAction)[A]> }[ClientAction];

export interface FrameLimits {
  maxMessageBytes: number;
}

/** Why a client frame was refused, in the terms of the `error` frame that answers it. */
export interface FrameProblem {
  code: Extract<ErrorCode, 'INVALID_JSON' | 'INVALID_FRAME' | 'UNKNOWN_ACTION' | 'MESSAGE_TOO_LARGE'>;
  message: string;
}

/**
 * The sessionId and turnId a frame names, where they are well-formed, to address its error frame: a client
 * can then tell which request an error answers even when the frame was refused before a turn began.
 */
export interface FrameAddress {
  sessionId: string | null;
  turnId?: string;
  /** The upload a `createUpload` frame asked for. */
  uploadId?: string;
}

/** A client frame read once: the frame, or the problem that refuses it; either way, where an error goes. */
export type FrameReading<F extends ClientFrame = ClientFrame> =
  | { ok: true; frame: F; address: FrameAddress }
  | { ok: false; problem: FrameProblem; address: FrameAddress };

/**
 * Reads one WebSocket text frame sent by a client, parsing it once. Never throws: anything that is not a
 * valid frame of the `expected` action (any action when undefined) comes back as the problem naming what is
 * wrong, so every bad frame becomes an `error` frame.
 */
export function readClientFrame<A extends ClientAction>(
  body: string | undefined,
  expected: A,
  limits: FrameLimits,
): FrameReading<Extract<ClientFrame, { action: A }>>;
export function readClientFrame(
  body: string | undefined,
  expected: ClientAction | undefined,
  limits: FrameLimits,
): FrameReading;
export function readClientFrame(
  body: string | undefined,
  expected: ClientAction | undefined,
  limits: FrameLimits,
): FrameReading {
  const json = parseJsonObject(body);
  if ('problem' in json) return { ok: false, problem: json.problem, address: NO_ADDRESS };
  const raw = json.object;
  const address = addressOf(raw);
  const refuse = (problem: FrameProblem): FrameReading => ({ ok: false, problem, address });

  const action = raw.action;
  if (!isClientAction(action) || (expected !== undefined && action !== expected)) {
    return refuse(unknownActionProblem(action));
  }
  const result = schemasByAction[action].safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return refuse({ code: 'INVALID_FRAME', message: `${where}${issue?.message ?? 'invalid frame'}` });
  }
  const frame = result.data;
  if (frame.action === 'sendMessage' || frame.action === 'agentMessage' || frame.action === 'editMessage') {
    const size = utf8Length(frame.message);
    if (size > limits.maxMessageBytes) return refuse(tooLargeProblem(size, limits.maxMessageBytes));
  }
  return { ok: true, frame, address };
}

/** The problem of a frame whose action is missing, unknown, or not the one this route serves. */
export function unknownActionProblem(action: unknown): FrameProblem {
  const known = `Known actions: ${CLIENT_ACTIONS.join(', ')}.`;
  return {
    code: 'UNKNOWN_ACTION',
    message:
      typeof action === 'string'
        ? `Unknown action "${action.slice(0, 64)}". ${known}`
        : `The frame has no "action" string. ${known}`,
  };
}

/** The problem of a binary frame: only JSON text frames are part of the protocol. */
export const BINARY_FRAME_PROBLEM: FrameProblem = {
  code: 'INVALID_FRAME',
  message: 'Binary frames are not supported; send JSON text frames.',
};

const NO_ADDRESS: FrameAddress = { sessionId: null };

function addressOf(raw: Record<string, unknown>): FrameAddress {
  // A branch action's frames and errors belong to the new turn it makes, when the client named one.
  const named = raw.newTurnId ?? raw.turnId;
  const wellFormedTurnId = turnId.safeParse(named).success ? (named as string) : undefined;
  const wellFormedUploadId = uploadId.safeParse(raw.uploadId).success ? (raw.uploadId as string) : undefined;
  return {
    sessionId: sessionId.safeParse(raw.sessionId).success ? (raw.sessionId as string) : null,
    ...(wellFormedTurnId ? { turnId: wellFormedTurnId } : {}),
    ...(wellFormedUploadId ? { uploadId: wellFormedUploadId } : {}),
  };
}

function tooLargeProblem(sizeBytes: number, limitBytes: number): FrameProblem {
  return {
    code: 'MESSAGE_TOO_LARGE',
    message: `The message is ${sizeBytes} bytes; the limit is ${limitBytes} bytes.`,
  };
}

function parseJsonObject(
  body: string | undefined,
): { object: Record<string, unknown> } | { problem: FrameProblem } {
  const size = body === undefined ? 0 : utf8Length(body);
  if (size > MAX_FRAME_BYTES) return { problem: tooLargeProblem(size, MAX_FRAME_BYTES) };
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch {
    return {
      problem: {
        code: 'INVALID_JSON',
        message: 'The frame is not valid JSON. Send a JSON object such as {"action":"sendMessage",...}.',
      },
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      problem: { code: 'INVALID_FRAME', message: 'The frame must be a JSON object with an "action" field.' },
    };
  }
  return { object: value as Record<string, unknown> };
}

function isClientAction(action: unknown): action is ClientAction {
  return typeof action === 'string' && Object.hasOwn(schemasByAction, action);
}
