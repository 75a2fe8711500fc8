/**
 * Conversation types in Bedrock Converse's shape, declared here so the chat core never imports the AWS SDK.
 * They are structurally compatible with `Message` and `ContentBlock` from `@aws-sdk/client-bedrock-runtime`.
 */

import type { AttachmentFormat, DocumentFormat, ImageFormat } from '../protocol/attachments.ts';

import type { StopReason } from '../protocol/server-frame.ts';

export type Role = 'user' | 'assistant';

export interface TextBlock {
  text: string;
}

export interface ToolUseBlock {
  toolUse: { toolUseId: string; name: string; input: JsonObject };
}

export type ToolResultContent = { text: string } | { json: JsonObject };

export interface ToolResultBlock {
  toolResult: { toolUseId: string; content: ToolResultContent[]; status: 'success' | 'error' };
}

/**
 * A file attached to a question, as stored: a reference to the uploaded object, never its bytes (a session
 * item stays small). The model sees it as an image or document block (attachment-model.ts).
 */
export interface AttachmentBlock {
  attachment: { key: string; name: string; format: AttachmentFormat; size: number };
}

/** Converse's image block with the file's bytes: only in a model request, never stored. */
export interface ImageBlock {
  image: { format: ImageFormat; source: { bytes: Uint8Array } };
}

/** Converse's document block with the file's bytes: only in a model request, never stored. */
export interface DocumentBlock {
  document: { format: DocumentFormat; name: string; source: { bytes: Uint8Array } };
}

export type ContentBlock =
  | TextBlock
  | ToolUseBlock
  | ToolResultBlock
  | AttachmentBlock
  | ImageBlock
  | DocumentBlock;

export interface Message {
  role: Role;
  content: ContentBlock[];
  /**
   * On a question: the turn it opened, so a retried turn id finds its stored answer. Stored with the window,
   * never sent to the model (the model adapter sends role and content only).
   */
  turnId?: string;
  /**
   * On a question: the tokens of its whole turn as the model counted them (turn-tokens.ts), for the token
   * window. Stored with the window, never sent to the model either.
   */
  tokens?: number;
  /**
   * On a question whose answer was cut short (Stop, a dropped connection, a deadline): why, so every stopped
   * answer is still marked after a reload. Never sent to the model either.
   */
  stopReason?: StopReason;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

export interface TokenUsage {
  /** Input tokens read and written neither from nor to the prompt cache. */
  inputTokens: number;
  outputTokens: number;
  /** Input tokens read from the prompt cache (cheaper than input); absent when none. */
  cacheReadTokens?: number;
  /** Input tokens written to the prompt cache (dearer than input); absent when none. */
  cacheWriteTokens?: number;
}

export const isTextBlock = (block: ContentBlock): block is TextBlock => 'text' in block;
export const isToolUseBlock = (block: ContentBlock): block is ToolUseBlock => 'toolUse' in block;
export const isToolResultBlock = (block: ContentBlock): block is ToolResultBlock => 'toolResult' in block;
export const isAttachmentBlock = (block: ContentBlock): block is AttachmentBlock => 'attachment' in block;

/** A user message that opens a turn: it carries text the person typed and answers no tool call. */
export function isTurnStart(message: Message): boolean {
  return (
    message.role === 'user' && message.content.some(isTextBlock) && !message.content.some(isToolResultBlock)
  );
}

/** The concatenated text blocks of a message. */
export function textOf(message: Message): string {
  return message.content
    .filter(isTextBlock)
    .map((block) => block.text)
    .join('');
}

/** Separates the text of successive model rounds in one answer, as streamed and as shown in history. */
export const ROUND_SEPARATOR = '\n\n';

export function toolUseIdsOf(message: Message): string[] {
  return message.content.filter(isToolUseBlock).map((block) => block.toolUse.toolUseId);
}

export function toolResultIdsOf(message: Message): string[] {
  return message.content.filter(isToolResultBlock).map((block) => block.toolResult.toolUseId);
}

export function userText(text: string, attachments: readonly AttachmentBlock[] = []): Message {
  // Files first, then the question about them, as in Bedrock's examples.
  return { role: 'user', content: [...attachments, { text }] };
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const cacheReadTokens = (a.cacheReadTokens ?? 0) + (b.cacheReadTokens ?? 0);
  const cacheWriteTokens = (a.cacheWriteTokens ?? 0) + (b.cacheWriteTokens ?? 0);
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    ...(cacheReadTokens > 0 ? { cacheReadTokens } : {}),
    ...(cacheWriteTokens > 0 ? { cacheWriteTokens } : {}),
  };
}

/** Every token of a usage, cache reads and writes included (as Bedrock's `totalTokens` counts them). */
export function totalTokens(usage: TokenUsage): number {
  return (
    usage.inputTokens + usage.outputTokens + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0)
  );
}

export const ZERO_USAGE: TokenUsage = Object.freeze({ inputTokens: 0, outputTokens: 0 });

/** The messages with whitespace removed from the end of the last text of the last message. */
export function trimTrailingWhitespace(messages: readonly Message[]): Message[] {
  const last = messages.at(-1);
  if (!last) return [];
  const lastText = last.content.findLastIndex(isTextBlock);
  if (lastText === -1) return [...messages];
  const content = last.content
    .map((block, index) =>
      index === lastText && isTextBlock(block) ? { text: block.text.trimEnd() } : block,
    )
    .filter((block) => !isTextBlock(block) || block.text !== '');
  return [...messages.slice(0, -1), { ...last, content }];
}
