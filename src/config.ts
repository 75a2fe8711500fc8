import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { StorageTimeouts } from './adapters/dynamodb/document-client.ts';
import type { JsonObject } from './chat/messages.ts';
import type { KbLookupSettings } from './chat/tools/kb-lookup.ts';
import { defaultWindowTokens } from './model-profiles.ts';

// zod/mini (used in Lambda code for its size) ships no messages; English ones make config errors readable.
z.config(en());

/** An empty or unset variable means "not configured" (serverless.yml renders unset params as ''). */
const optional = <T extends z.ZodMiniType>(schema: T) =>
  z.pipe(
    z.transform((value: unknown) => (value === '' ? undefined : value)),
    z.optional(schema),
  );

const positiveInt = (fallback: number, max = Number.MAX_SAFE_INTEGER) =>
  z._default(z.coerce.number().check(z.int(), z.positive(), z.maximum(max)), fallback);

/** Output budget of the call that names a session: a title is a few words. */
const TITLE_MAX_TOKENS = 30;

const envSchema = z.object({
  AWS_REGION: z._default(z.string().check(z.minLength(1)), 'us-east-1'),
  CHAT_TABLE_NAME: z.string().check(z.minLength(1)),
  CHAT_MODEL_ID: z.string().check(z.minLength(1)),
  CHAT_KNOWLEDGE_BASE_ID: optional(z.string()),
  CHAT_SYSTEM_PROMPT: optional(z.string()),
  CHAT_KB_RESULTS: positiveInt(5, 100),
  CHAT_KB_SEARCH_TYPE: optional(z.enum(['HYBRID', 'SEMANTIC'])),
  /** A RetrievalFilter as JSON, applied to every search. */
  CHAT_KB_FILTER: optional(
    z.pipe(
      z.string(),
      z.transform((text, ctx) => {
        try {
          const value: unknown = JSON.parse(text);
          if (typeof value === 'object' && value !== null && !Array.isArray(value))
            return value as JsonObject;
        } catch {}
        ctx.issues.push({
          code: 'custom',
          input: text,
          message: 'must be a JSON object (a RetrievalFilter)',
        });
        return z.NEVER;
      }),
    ),
  ),
  CHAT_KB_AREA_KEY: optional(z.string().check(z.minLength(1), z.maxLength(100))),
  CHAT_KB_RERANK_MODEL_ARN: optional(z.string().check(z.regex(/^arn:aws(-[^:]+)?:bedrock:/))),
  CHAT_KB_MIN_SCORE: z._default(z.coerce.number().check(z.gte(0), z.lte(1)), 0.4),
  CHAT_DYNAMODB_ENDPOINT: optional(z.url()),
  /** Several regions (decision 21): the region whose replica of the global table every region writes. */
  CHAT_WRITE_REGION: optional(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/))),
  CHAT_BEDROCK_ENDPOINT: optional(z.url()),
  CHAT_BEDROCK_AGENT_ENDPOINT: optional(z.url()),
  CHAT_MANAGEMENT_ENDPOINT: optional(z.url()),
  /** The attachments bucket; unset: attachments are refused (UPLOADS_UNAVAILABLE). */
  CHAT_UPLOADS_BUCKET: optional(z.string()),
  /** Several regions: the uploads bucket's region, the primary's (decision 21). */
  CHAT_UPLOADS_REGION: optional(z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d$/))),
  CHAT_S3_ENDPOINT: optional(z.url()),
  CHAT_WINDOW_MESSAGES: z._default(z.coerce.number().check(z.int(), z.minimum(2)), 20),
  CHAT_WINDOW_TOKENS: optional(z.coerce.number().check(z.int(), z.positive())),
  CHAT_SUMMARY: z._default(z.enum(['on', 'off']), 'on'),
  CHAT_TITLES: z._default(z.enum(['on', 'off']), 'on'),
  /** on: a signed-in user's turns offer the model `handoff_to_human` (docs/decisions/0026). */
  CHAT_HANDOFF: z._default(z.enum(['on', 'off']), 'on'),
  /** With CHAT_HANDOFF on: questions in a row the knowledge base finds nothing for before a handoff; 0: never. */
  CHAT_HANDOFF_AFTER_KB_MISSES: z._default(
    z.coerce.number().check(z.int(), z.nonnegative(), z.maximum(20)),
    2,
  ),
  /** With CHAT_HANDOFF on: thumbs-down in a row on a session's answers before a handoff; 0: never. */
  CHAT_HANDOFF_AFTER_NEGATIVE_FEEDBACK: z._default(
    z.coerce.number().check(z.int(), z.nonnegative(), z.maximum(20)),
    2,
  ),
  CHAT_SUMMARY_KEEP_TURNS: positiveInt(1, 50),
  CHAT_SESSION_TTL_HOURS: positiveInt(24),
  CHAT_MAX_TOOL_ROUNDS: positiveInt(4),
  CHAT_MAX_MESSAGE_BYTES: positiveInt(16_384, 30_000),
  // One model call's answer must fit what a turn may store (TURN_BYTES): 16k tokens is about 64 KB of text.
  CHAT_MAX_OUTPUT_TOKENS: positiveInt(2048, 16_384),
  CHAT_MODEL_IDLE_TIMEOUT_MS: positiveInt(15_000),
  CHAT_DEADLINE_MARGIN_MS: positiveInt(3_000),
  CHAT_STOP_POLL_MS: positiveInt(200),
  CHAT_CANCEL_WAIT_MS: positiveInt(2_000),
  CHAT_STORAGE_TIMEOUT_MS: positiveInt(5_000),
  CHAT_RESUME_WAIT_MS: positiveInt(5_000),
  CHAT_FLUSH_MIN_MS: positiveInt(50),
  CHAT_FLUSH_MAX_MS: positiveInt(400),
  CHAT_RATE_LIMIT_PER_MINUTE: positiveInt(20),
  CHAT_STATS_RETENTION_DAYS: positiveInt(90),
  CHAT_MEMORY_MAX: positiveInt(30, 200),
  // On-demand prices of the default model (Claude Haiku 4.5), USD per million tokens; set them for yours.
  CHAT_PRICE_INPUT_PER_MTOK: z._default(z.coerce.number().check(z.nonnegative()), 1),
  CHAT_PRICE_OUTPUT_PER_MTOK: z._default(z.coerce.number().check(z.nonnegative()), 5),
  CHAT_PRICE_CACHE_READ_PER_MTOK: z._default(z.coerce.number().check(z.nonnegative()), 0.1),
  CHAT_PRICE_CACHE_WRITE_PER_MTOK: z._default(z.coerce.number().check(z.nonnegative()), 1.25),
});

const authEnvSchema = z
  .object({
    CHAT_AUTH_MODE: z._default(z.enum(['off', 'jwt', 'cognito']), 'off'),
    CHAT_AUTH_ISSUER: optional(z.url()),
    CHAT_AUTH_AUDIENCE: optional(z.string()),
    /** A static JWKS (JSON), for issuers whose keys are not served over HTTPS, such as the local dev issuer. */
    CHAT_AUTH_JWKS: optional(z.string()),
    CHAT_AUTH_JWKS_URI: optional(z.url({ protocol: /^https$/ })),
    CHAT_COGNITO_USER_POOL_ID: optional(z.string()),
    CHAT_COGNITO_CLIENT_ID: optional(z.string()),
    /** Comma-separated web origins allowed to open the WebSocket (offline: the dev web app). */
    CHAT_ALLOWED_ORIGINS: optional(z.string()),
  })
  .check(
    z.refine(
      (e) =>
        e.CHAT_AUTH_MODE !== 'jwt' ||
        Boolean(e.CHAT_AUTH_ISSUER && e.CHAT_AUTH_AUDIENCE && (e.CHAT_AUTH_JWKS || e.CHAT_AUTH_JWKS_URI)),
      'CHAT_AUTH_MODE=jwt needs CHAT_AUTH_ISSUER, CHAT_AUTH_AUDIENCE and CHAT_AUTH_JWKS or CHAT_AUTH_JWKS_URI',
    ),
    z.refine(
      (e) =>
        e.CHAT_AUTH_MODE !== 'cognito' || Boolean(e.CHAT_COGNITO_USER_POOL_ID && e.CHAT_COGNITO_CLIENT_ID),
      'CHAT_AUTH_MODE=cognito needs CHAT_COGNITO_USER_POOL_ID and CHAT_COGNITO_CLIENT_ID',
    ),
  );

/** A memory is one short statement (docs/decisions/0025). */
const MEMORY_MAX_CHARS = 200;

export const DEFAULT_SYSTEM_PROMPT = [
  'You are a helpful assistant in a real-time chat.',
  'Answer concisely in Markdown.',
  'Use kb_lookup for questions about the product and cite the passages you use inline by their number, e.g. [1];',
  'use current_time whenever the answer depends on the current date or time;',
  'use lookup_resource to find internal services, dashboards, runbooks and repositories;',
  'use remember when the user asks you to remember something about them, and forget when they ask you to forget it.',
  'If the tools do not give you the answer, say so instead of guessing.',
].join(' ');

/**
 * Most one turn may store (its question, answer, tool calls and results, as JSON): a fifth of DynamoDB's
 * 400 KB item limit, and less than one WebSocket message (128 KB), so any turn fits the session and a history
 * frame. The window as a whole is kept under WINDOW_BYTES.
 */
export const TURN_BYTES = 96 * 1024;
export const WINDOW_BYTES = 300 * 1024;

export type ChatConfig = ReturnType<typeof loadConfig>;
export type AuthConfig = ReturnType<typeof loadAuthConfig>;

/** Reads and validates the handler's environment once per container. Throws, naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(envSchema, env);
  return {
    region: e.AWS_REGION,
    /** Where the chat table is read and written: this region, or the write region of several (decision 21). */
    tableRegion: e.CHAT_WRITE_REGION ?? e.AWS_REGION,
    tableName: e.CHAT_TABLE_NAME,
    modelId: e.CHAT_MODEL_ID,
    knowledgeBaseId: e.CHAT_KNOWLEDGE_BASE_ID,
    retrieval: {
      numberOfResults: e.CHAT_KB_RESULTS,
      minScore: e.CHAT_KB_MIN_SCORE,
      ...(e.CHAT_KB_SEARCH_TYPE ? { searchType: e.CHAT_KB_SEARCH_TYPE } : {}),
      ...(e.CHAT_KB_FILTER ? { filter: e.CHAT_KB_FILTER } : {}),
      ...(e.CHAT_KB_AREA_KEY ? { areaKey: e.CHAT_KB_AREA_KEY } : {}),
      ...(e.CHAT_KB_RERANK_MODEL_ARN ? { rerankModelArn: e.CHAT_KB_RERANK_MODEL_ARN } : {}),
    } satisfies KbLookupSettings,
    systemPrompt: e.CHAT_SYSTEM_PROMPT ?? DEFAULT_SYSTEM_PROMPT,
    maxOutputTokens: e.CHAT_MAX_OUTPUT_TOKENS,
    maxMessageBytes: e.CHAT_MAX_MESSAGE_BYTES,
    endpoints: {
      dynamodb: e.CHAT_DYNAMODB_ENDPOINT,
      bedrock: e.CHAT_BEDROCK_ENDPOINT,
      bedrockAgent: e.CHAT_BEDROCK_AGENT_ENDPOINT ?? e.CHAT_BEDROCK_ENDPOINT,
      /** Offline only: serverless-offline's @connections endpoint. On AWS it comes from the event. */
      management: e.CHAT_MANAGEMENT_ENDPOINT,
      /** Offline only: the local S3-compatible server. */
      s3: e.CHAT_S3_ENDPOINT,
    },
    uploadsBucket: e.CHAT_UPLOADS_BUCKET,
    uploadsRegion: e.CHAT_UPLOADS_REGION ?? e.AWS_REGION,
    resume: { waitMs: e.CHAT_RESUME_WAIT_MS, pollMs: 250 },
    cancelWaitMs: e.CHAT_CANCEL_WAIT_MS,
    // Each DynamoDB call: connect within 1 s, each attempt within 2 s, three attempts, all within the budget.
    storage: {
      connectionTimeoutMs: 1_000,
      requestTimeoutMs: 2_000,
      maxAttempts: 3,
      budgetMs: e.CHAT_STORAGE_TIMEOUT_MS,
    } satisfies StorageTimeouts,
    rateLimitPerMinute: e.CHAT_RATE_LIMIT_PER_MINUTE,
    /** Whether the model may hand a signed-in user's conversation to a person (the agents' actions stay). */
    handoffTool: e.CHAT_HANDOFF === 'on',
    /** The server's low-confidence rule (0: off): a handoff after this many knowledge-base misses in a row. */
    handoffAfterKbMisses: e.CHAT_HANDOFF === 'on' ? e.CHAT_HANDOFF_AFTER_KB_MISSES : 0,
    /** The server's repeated-negative-feedback rule (0: off): a handoff after this many thumbs-down in a row. */
    handoffAfterNegativeFeedback: e.CHAT_HANDOFF === 'on' ? e.CHAT_HANDOFF_AFTER_NEGATIVE_FEEDBACK : 0,
    statsRetentionDays: e.CHAT_STATS_RETENTION_DAYS,
    turn: {
      windowMessages: e.CHAT_WINDOW_MESSAGES,
      windowTokens: e.CHAT_WINDOW_TOKENS ?? defaultWindowTokens(e.CHAT_MODEL_ID),
      ...(e.CHAT_SUMMARY === 'on'
        ? { summary: { keepTurns: e.CHAT_SUMMARY_KEEP_TURNS, maxChars: 6_000, timeoutMs: 10_000 } }
        : {}),
      memory: { maxMemories: e.CHAT_MEMORY_MAX, maxChars: MEMORY_MAX_CHARS },
      ...(e.CHAT_TITLES === 'on' ? { titles: { maxTokens: TITLE_MAX_TOKENS } } : {}),
      prices: {
        inputUsdPerMillion: e.CHAT_PRICE_INPUT_PER_MTOK,
        outputUsdPerMillion: e.CHAT_PRICE_OUTPUT_PER_MTOK,
        cacheReadUsdPerMillion: e.CHAT_PRICE_CACHE_READ_PER_MTOK,
        cacheWriteUsdPerMillion: e.CHAT_PRICE_CACHE_WRITE_PER_MTOK,
      },
      sessionTtlSeconds: e.CHAT_SESSION_TTL_HOURS * 3600,
      maxToolRounds: e.CHAT_MAX_TOOL_ROUNDS,
      modelIdleTimeoutMs: e.CHAT_MODEL_IDLE_TIMEOUT_MS,
      deadlineMarginMs: e.CHAT_DEADLINE_MARGIN_MS,
      replyMarginMs: 1_000,
      saveAttempts: 8,
      stopPollMs: e.CHAT_STOP_POLL_MS,
      attachPollMs: 250,
      maxTurnBytes: TURN_BYTES,
      maxWindowBytes: WINDOW_BYTES,
      flush: { minDelayMs: e.CHAT_FLUSH_MIN_MS, maxDelayMs: e.CHAT_FLUSH_MAX_MS, maxFrameBytes: 16 * 1024 },
    },
  };
}

/** The $connect authorizer's settings: how tokens are verified (see docs/deploy.md). */
export function loadAuthConfig(env: Record<string, string | undefined> = process.env) {
  const e = parseEnv(authEnvSchema, env);
  switch (e.CHAT_AUTH_MODE) {
    case 'off':
      return { mode: 'off' as const };
    case 'cognito':
      return {
        mode: 'cognito' as const,
        userPoolId: e.CHAT_COGNITO_USER_POOL_ID as string,
        clientId: e.CHAT_COGNITO_CLIENT_ID as string,
      };
    case 'jwt':
      return {
        mode: 'jwt' as const,
        issuer: e.CHAT_AUTH_ISSUER as string,
        audience: e.CHAT_AUTH_AUDIENCE as string,
        jwks: e.CHAT_AUTH_JWKS,
        jwksUri: e.CHAT_AUTH_JWKS_URI,
      };
  }
}

/** Web origins allowed to open the WebSocket (CHAT_ALLOWED_ORIGINS); none means no Origin check. */
export function loadAllowedOrigins(env: Record<string, string | undefined> = process.env): string[] {
  return (parseEnv(authEnvSchema, env).CHAT_ALLOWED_ORIGINS ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function parseEnv<T extends z.ZodMiniType>(schema: T, env: Record<string, string | undefined>): z.infer<T> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid chat configuration: ${problems}`);
  }
  return parsed.data;
}
