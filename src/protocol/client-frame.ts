import * as z from 'zod/mini';
import { InvalidFrameError, InvalidJsonError, MessageTooLargeError, UnknownActionError } from '../errors.ts';

/** API Gateway drops WebSocket frames over 32 KB; offline does not, so the limit is enforced here. */
export const MAX_FRAME_BYTES = 32 * 1024;

// Random (version 4) UUIDs only: a session id is the key to a conversation, so it must not be guessable
// (time-based or nil UUIDs are).
const sessionId = z.uuidv4({ error: 'sessionId must be a random (version 4) UUID' });
const turnId = z.uuidv4({ error: 'turnId must be a random (version 4) UUID' });

const sendMessageFrame = z.object({
  action: z.literal('sendMessage'),
  sessionId,
  message: z
    .string({ error: 'message must be a string' })
    .check(z.refine((text) => text.trim().length > 0, 'message must not be empty')),
  /** Optional: lets the client know the turn id before the first frame arrives. */
  turnId: z.optional(turnId),
});

const getHistoryFrame = z.object({ action: z.literal('getHistory'), sessionId });
const cancelFrame = z.object({ action: z.literal('cancel'), sessionId, turnId });
const resumeFrame = z.object({ action: z.literal('resume'), sessionId, turnId });
const getUsageFrame = z.object({ action: z.literal('getUsage'), sessionId: z.optional(sessionId) });

const schemasByAction = {
  sendMessage: sendMessageFrame,
  getHistory: getHistoryFrame,
  cancel: cancelFrame,
  resume: resumeFrame,
  getUsage: getUsageFrame,
} as const;

export type ClientAction = keyof typeof schemasByAction;
export const CLIENT_ACTIONS = Object.keys(schemasByAction) as ClientAction[];

export type SendMessageFrame = z.infer<typeof sendMessageFrame>;
export type GetHistoryFrame = z.infer<typeof getHistoryFrame>;
export type CancelFrame = z.infer<typeof cancelFrame>;
export type ResumeFrame = z.infer<typeof resumeFrame>;
export type ClientFrame = { [A in ClientAction]: z.infer<(typeof schemasByAction)[A]> }[ClientAction];

export interface FrameLimits {
  maxMessageBytes: number;
}

/**
 * Parses one WebSocket text frame sent by a client. Throws a typed error for anything else, so every bad
 * frame becomes an `error` frame naming what is wrong.
 */
export function parseClientFrame<A extends ClientAction>(
  body: string | undefined,
  expected: A,
  limits: FrameLimits,
): Extract<ClientFrame, { action: A }>;
export function parseClientFrame(
  body: string | undefined,
  expected: undefined,
  limits: FrameLimits,
): ClientFrame;
export function parseClientFrame(
  body: string | undefined,
  expected: ClientAction | undefined,
  limits: FrameLimits,
): ClientFrame {
  const raw = parseJsonObject(body);
  const action = raw.action;
  if (!isClientAction(action) || (expected !== undefined && action !== expected)) {
    throw new UnknownActionError(action, CLIENT_ACTIONS);
  }
  const result = schemasByAction[action].safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new InvalidFrameError(`${where}${issue?.message ?? 'invalid frame'}`);
  }
  const frame = result.data;
  if (frame.action === 'sendMessage') {
    const size = Buffer.byteLength(frame.message, 'utf8');
    if (size > limits.maxMessageBytes) throw new MessageTooLargeError(size, limits.maxMessageBytes);
  }
  return frame;
}

/**
 * The sessionId and turnId a frame names, where they are well-formed, to address its error frame: a client
 * can then tell which request an error answers even when the frame was refused before a turn began.
 */
export function peekAddress(body: string | undefined): { sessionId: string | null; turnId?: string } {
  let raw: Record<string, unknown>;
  try {
    raw = parseJsonObject(body);
  } catch {
    return { sessionId: null };
  }
  const wellFormedTurnId = turnId.safeParse(raw.turnId).success ? (raw.turnId as string) : undefined;
  return {
    sessionId: sessionId.safeParse(raw.sessionId).success ? (raw.sessionId as string) : null,
    ...(wellFormedTurnId ? { turnId: wellFormedTurnId } : {}),
  };
}

function parseJsonObject(body: string | undefined): Record<string, unknown> {
  const size = body === undefined ? 0 : Buffer.byteLength(body, 'utf8');
  if (size > MAX_FRAME_BYTES) throw new MessageTooLargeError(size, MAX_FRAME_BYTES);
  let value: unknown;
  try {
    value = JSON.parse(body ?? '');
  } catch {
    throw new InvalidJsonError();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidFrameError('The frame must be a JSON object with an "action" field.');
  }
  return value as Record<string, unknown>;
}

function isClientAction(action: unknown): action is ClientAction {
  return typeof action === 'string' && Object.hasOwn(schemasByAction, action);
}
