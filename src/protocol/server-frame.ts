import type { ChatError, ErrorCode } from '../errors.ts';

/** Why a turn ended. The first five are Bedrock's own stop reasons; the rest are this service's. */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'content_filtered'
  | 'guardrail_intervened'
  | 'tool_limit'
  | 'timeout'
  | 'cancelled'
  | 'client_gone';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

/** Every frame of a turn carries its turn id and a sequence number (0, 1, 2, ...) to order and de-duplicate. */
export interface TurnFrameBase {
  sessionId: string;
  turnId: string;
  seq: number;
}

export interface StatusFrame extends TurnFrameBase {
  type: 'status';
  /** Human text such as "Searching knowledge base…". */
  value: string;
  /** The tool that started. */
  tool: string;
}

export interface TokenFrame extends TurnFrameBase {
  type: 'token';
  value: string;
}

export interface DoneFrame extends TurnFrameBase {
  type: 'done';
  stopReason: StopReason;
  usage: Usage;
  modelCalls: number;
  toolCalls: number;
}

export interface ErrorFrame {
  type: 'error';
  sessionId: string | null;
  turnId?: string;
  seq?: number;
  code: ErrorCode;
  message: string;
  retryable: boolean;
}

export interface HistoryEntry {
  role: 'user' | 'assistant';
  text: string;
  /** Tools the assistant called while answering, in order. */
  tools?: string[];
}

export interface HistoryFrame {
  type: 'history';
  sessionId: string;
  turns: number;
  messages: HistoryEntry[];
  usage: Usage;
  /** Set when the last answer was cut short (client gone, deadline, cancel); `resume` continues after `lastSeq`. */
  interruptedTurn?: { turnId: string; stopReason: StopReason; lastSeq: number };
}

/** Token totals and the estimated model cost (on-demand prices from config). */
export interface UsageReport extends Usage {
  turns: number;
  estimatedCostUsd: number;
}

export interface UsageFrame {
  type: 'usage';
  sessionId: string | null;
  /** Everything the signed-in user has used, across sessions. */
  user: UsageReport;
  /** This session's share, when the request named one. */
  session?: UsageReport;
}

export type TurnFrame = StatusFrame | TokenFrame | DoneFrame;
export type ServerFrame = TurnFrame | ErrorFrame | HistoryFrame | UsageFrame;

export function errorFrame(
  error: ChatError,
  address: { sessionId: string | null; turnId?: string; seq?: number },
): ErrorFrame {
  return {
    type: 'error',
    ...address,
    code: error.code,
    message: error.message,
    retryable: error.retryable,
  };
}
