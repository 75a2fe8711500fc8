import { createHash } from 'node:crypto';
import { decodedLength } from './attachment-rules.ts';
import {
  type ConverseBody,
  isContinueRequest,
  toolNamesOf,
  turnTextOf,
  type WireContentBlock,
  type WireMessage,
} from './bedrock-types.ts';
import { genericToolCalls } from './generic-tool-call.ts';
import type { LocalKnowledgeBase } from './knowledge-base.ts';
import { describeMemoryResult, memoryToolCall, recallFact } from './scripted-memory.ts';
import { scriptedSummary } from './scripted-summary.ts';
import { scriptedTitle } from './scripted-title.ts';

export interface ScriptedToolUse {
  toolUseId: string;
  name: string;
  input: Record<string, unknown>;
}

/** What the scripted model says: text, then any tool calls. */
export interface ScriptedReply {
  text: string;
  toolUses: ScriptedToolUse[];
  stopReason: 'end_turn' | 'tool_use';
}

/** A question that scores at least this (raw BM25) against the local knowledge base may be looked up… */
const KB_RELEVANCE_THRESHOLD = 3;
/** …if its best chunk also holds at least this share of the question's term weight (idf). */
const KB_MATCHED_SHARE = 0.5;

/**
 * Whether the scripted model treats a message as a question about the product: it asks something (a "?"), and
 * its best keyword match is strong and covers most of what it asks, so a remark that happens to share words
 * with the documentation ("Asked before the failure") or a single common word ("help") is not enough.
 */
function isProductQuestion(knowledgeBase: LocalKnowledgeBase, question: string): boolean {
  if (!question.includes('?')) return false;
  const [best] = knowledgeBase.search(question, 1);
  return best !== undefined && best.bm25 >= KB_RELEVANCE_THRESHOLD && best.matchedShare >= KB_MATCHED_SHARE;
}

const CITY_TIME_ZONES: Record<string, string> = {
  tokyo: 'Asia/Tokyo',
  london: 'Europe/London',
  paris: 'Europe/Paris',
  berlin: 'Europe/Berlin',
  'new york': 'America/New_York',
  chicago: 'America/Chicago',
  'san francisco': 'America/Los_Angeles',
  'los angeles': 'America/Los_Angeles',
  seattle: 'America/Los_Angeles',
  sydney: 'Australia/Sydney',
  singapore: 'Asia/Singapore',
  mumbai: 'Asia/Kolkata',
  india: 'Asia/Kolkata',
  dubai: 'Asia/Dubai',
  'são paulo': 'America/Sao_Paulo',
  'sao paulo': 'America/Sao_Paulo',
};

/**
 * A deterministic stand-in for a tool-using model. The same request always gets the same reply:
 * - after tool results, it answers from them;
 * - asked for a human, a person or an agent, it calls `handoff_to_human` (and nothing else);
 * - asked "what did the person say?", it quotes what a person from support said earlier in the history;
 * - asked the time or date, it calls `current_time`;
 * - asked where a service, dashboard or runbook is, it calls `lookup_resource`;
 * - asked something the local knowledge base covers, it calls `kb_lookup`;
 * - "Remember that …" calls `remember`, "Forget …" calls `forget`, and a question about something the user
 *   said is answered from the system prompt or the conversation (scripted-memory.ts);
 * - asked to summarize or to title the conversation (the chat's calls after `done`), it does so
 *   (scripted-summary.ts, scripted-title.ts);
 * - `#tokens:N` in the question gets an N-token answer (for long-stream tests);
 * - anything else gets a short answer that says what it can do.
 * When the conversation ends with an assistant message (prefill), or with a request to continue an answer
 * that was cut off, it continues that answer's text.
 */
export function scriptReply(body: ConverseBody, knowledgeBase: LocalKnowledgeBase): ScriptedReply {
  return asAnswerVersion(body, scriptFirstReply(body, knowledgeBase));
}

/**
 * A regenerated answer (the chat labels its calls with `requestMetadata.answerVersion`, docs/decisions/0027)
 * says another thing than version 1, deterministically: "Take 2: " before the text of a final answer. The
 * label is not part of what a real model reads; a real model's answers differ by sampling instead.
 */
function asAnswerVersion(body: ConverseBody, reply: ScriptedReply): ScriptedReply {
  const metadata = body.requestMetadata as Record<string, unknown> | undefined;
  const version = Number(metadata?.answerVersion);
  if (!Number.isInteger(version) || version < 2 || reply.stopReason !== 'end_turn' || reply.text === '') {
    return reply;
  }
  return { ...reply, text: `Take ${version}: ${reply.text}` };
}

function scriptFirstReply(body: ConverseBody, knowledgeBase: LocalKnowledgeBase): ScriptedReply {
  const messages = body.messages ?? [];
  const last = messages.at(-1);
  if (last?.role === 'assistant')
    return continueFrom(last, scriptFirstReply({ ...body, messages: messages.slice(0, -1) }, knowledgeBase));
  const cutOff = messages.at(-2);
  if (cutOff?.role === 'assistant' && last && isContinueRequest(last)) {
    return continueFrom(
      cutOff,
      scriptFirstReply({ ...body, messages: messages.slice(0, -2) }, knowledgeBase),
    );
  }

  const summary = scriptedSummary(body);
  if (summary !== undefined) return { text: summary, toolUses: [], stopReason: 'end_turn' };
  const title = scriptedTitle(body);
  if (title !== undefined) return { text: title, toolUses: [], stopReason: 'end_turn' };

  const tools = new Set(toolNamesOf(body));
  if (last?.content.some((block) => block.toolResult)) {
    const citeDirective = /#cite:(\d{1,3})\b/.exec(turnTextOf(body))?.[1];
    return { text: answerFromToolResults(messages, citeDirective), toolUses: [], stopReason: 'end_turn' };
  }

  const received = last?.role === 'user' ? attachmentsIn(last) : [];
  if (received.length > 0) {
    const question = stripDirectives(
      (last?.content ?? [])
        .flatMap((block) => (block.text === undefined || IMAGE_LABEL.test(block.text) ? [] : [block.text]))
        .join(''),
    );
    const files = received.length === 1 ? '1 file' : `${received.length} files`;
    return {
      text: `I received ${files}: ${received.join('; ')}.\n\nYou asked: ${question}`,
      toolUses: [],
      stopReason: 'end_turn',
    };
  }

  const asked = turnTextOf(body);
  const longAnswer = /#tokens:(\d{1,6})/.exec(asked);
  if (longAnswer) return { text: longText(Number(longAnswer[1])), toolUses: [], stopReason: 'end_turn' };

  // Directives (#fault:, #pace:, a test's #id: marker) never steer what the model does.
  const question = stripDirectives(asked);
  const personSaid = /\bwhat did (the|that) (person|agent|human) say\b/i.test(question)
    ? lastWordsOfAPerson(messages)
    : undefined;
  if (personSaid) return { text: `Earlier, ${personSaid}`, toolUses: [], stopReason: 'end_turn' };
  const memoryCall = memoryToolCall(question, tools);
  if (memoryCall) {
    return {
      text: '',
      toolUses: [{ ...memoryCall, toolUseId: toolUseIdFor(messages, memoryCall.name, 0) }],
      stopReason: 'tool_use',
    };
  }
  const fact = recallFact(body, question);
  if (fact) return { text: `You told me: ${fact}`, toolUses: [], stopReason: 'end_turn' };
  const calls: Array<{ name: string; input: Record<string, unknown> }> = [];
  const handingOff = tools.has('handoff_to_human') && asksForAPerson(question);
  if (handingOff) {
    calls.push({
      name: 'handoff_to_human',
      input: { reason: 'user_request', summary: `The user asked for a person. Their words: “${question}”` },
    });
  }
  if (!handingOff && tools.has('current_time') && /\b(time|date|day is it|today|clock)\b/i.test(question)) {
    calls.push({ name: 'current_time', input: { timeZone: timeZoneIn(question) } });
  }
  const resource = tools.has('lookup_resource') && !handingOff ? resourceNameIn(question) : undefined;
  if (resource) calls.push({ name: 'lookup_resource', input: { name: resource } });
  if (tools.has('kb_lookup') && !handingOff && isProductQuestion(knowledgeBase, question)) {
    calls.push({ name: 'kb_lookup', input: { query: question } });
  }
  const projectTools = [
    'current_time',
    'lookup_resource',
    'kb_lookup',
    'remember',
    'forget',
    'handoff_to_human',
  ];
  const otherTools = (body.toolConfig?.tools ?? []).filter(
    (tool) => tool.toolSpec && !projectTools.includes(tool.toolSpec.name),
  );
  if (calls.length === 0) calls.push(...genericToolCalls(otherTools, question));

  if (calls.length > 0) {
    return {
      text: calls.length > 1 ? 'Let me check a few things.' : '',
      toolUses: calls.map((call, index) => ({
        ...call,
        toolUseId: toolUseIdFor(messages, call.name, index),
      })),
      stopReason: 'tool_use',
    };
  }
  return { text: smallTalk(question), toolUses: [], stopReason: 'end_turn' };
}

/**
 * The images and documents of a question, acknowledged by name, kind, format and size. Images carry no name
 * on the wire; the client labels each with a text block just before it (`[Image: name]`).
 */
const IMAGE_LABEL = /^\[Image: (.+)\]$/;

function attachmentsIn(message: WireMessage): string[] {
  return message.content.flatMap((block, index) => {
    const image = block.image as { format?: string; source?: { bytes?: unknown } } | undefined;
    const document = block.document as
      | { name?: string; format?: string; source?: { bytes?: unknown } }
      | undefined;
    if (image) {
      const label =
        /^\[Image: (.+)\]$/.exec(message.content[index - 1]?.text ?? '')?.[1] ?? `image ${index + 1}`;
      return [
        `**${label}** (image, ${String(image.format).toUpperCase()}, ${decodedLength(image.source?.bytes)} bytes)`,
      ];
    }
    if (document) {
      return [
        `**${document.name}** (document, ${String(document.format ?? 'unknown').toUpperCase()}, ${decodedLength(document.source?.bytes)} bytes)`,
      ];
    }
    return [];
  });
}

/** `citeDirective`: the `#cite:<n>` directive's number, cited as well (a test's invented citation). */
function answerFromToolResults(messages: WireMessage[], citeDirective?: string): string {
  const results = messages.at(-1)?.content ?? [];
  const calls = new Map(
    (messages.at(-2)?.content ?? []).flatMap((block) =>
      block.toolUse ? [[block.toolUse.toolUseId, block.toolUse]] : [],
    ),
  );
  const parts = results.flatMap((block: WireContentBlock) => {
    if (!block.toolResult) return [];
    const call = calls.get(block.toolResult.toolUseId);
    const content = block.toolResult.content ?? [];
    if (block.toolResult.status === 'error') {
      const reason = content.map((c) => c.text ?? JSON.stringify(c.json)).join(' ');
      return [`I tried \`${call?.name ?? 'a tool'}\` but it failed: ${reason}`];
    }
    return [describeToolResult(call?.name ?? '', toolResultJson(content), citeDirective)];
  });
  return parts.join('\n\n');
}

/**
 * A tool result's data, whatever shape the client sent it in: a `json` block (this project, boto3), a `text`
 * block holding JSON (the Vercel AI SDK, LangChain), several blocks mixing both, or plain text. JSON objects
 * are merged in order; text that is not JSON is kept under `text`.
 */
export function toolResultJson(content: Array<{ text?: string; json?: unknown }>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const texts: string[] = [];
  for (const block of content) {
    const value = block.json !== undefined ? block.json : parseJsonText(block.text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) Object.assign(merged, value);
    else if (value !== undefined) texts.push(typeof value === 'string' ? value : JSON.stringify(value));
  }
  if (texts.length > 0 && merged.text === undefined) merged.text = texts.join('\n');
  return merged;
}

function parseJsonText(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeToolResult(tool: string, json: Record<string, unknown>, citeDirective?: string): string {
  const memory = describeMemoryResult(tool, json);
  if (memory) return memory;
  if (tool === 'current_time' && json.local !== undefined) {
    return `The current time in ${json.timeZone} is **${json.local}** (UTC${json.utcOffset}).`;
  }
  if (tool === 'lookup_resource' && json.name !== undefined) {
    return `**${json.name}** is owned by ${json.owner}.\n\n${json.description}\n\nLink: ${json.url}`;
  }
  if (tool === 'handoff_to_human' && json.status !== undefined) {
    return json.status === 'queued'
      ? `I have asked a person from our support team to join. You are number ${json.position} in line; you can keep writing here, or cancel to come back to me.`
      : 'A person from our support team already has this conversation; they will answer here.';
  }
  if (tool === 'kb_lookup') {
    const passages = (json.passages ?? []) as Array<{ n?: number; text: string; source: string }>;
    if (passages.length === 0) return 'The knowledge base has nothing relevant on that, so I will not guess.';
    // Numbered passages are cited as the tool asks, `[n]`; passages without numbers by their file name.
    const cited = passages
      .slice(0, 2)
      .map(
        (p) =>
          `- ${firstSentences(p.text, 2)} ${typeof p.n === 'number' ? `[${p.n}]` : `_(source: ${p.source.split('/').at(-1)})_`}`,
      );
    const invented = citeDirective ? ` See also [${citeDirective}].` : '';
    return `According to the knowledge base:\n\n${cited.join('\n')}${invented}`;
  }
  if (typeof json.text === 'string' && Object.keys(json).length === 1)
    return `The ${tool} tool says: ${json.text}`;
  return `The ${tool} tool returned: ${JSON.stringify(json)}`;
}

function smallTalk(question: string): string {
  const quoted = question.length > 120 ? `${question.slice(0, 117)}…` : question;
  return [
    `You said: “${quoted.trim()}”.`,
    'I am the offline scripted model standing in for Amazon Bedrock, so my answers are canned.',
    'Ask me about the product (try “How do I reset my password?”), the time (“What time is it in Tokyo?”)',
    'or an internal resource (“Where is the billing-api?”) to see the tools at work.',
  ].join(' ');
}

const LONG_TEXT_SOURCE = [
  'Streaming keeps a chat responsive: the first words appear while the rest of the answer is still being written.',
  'Each delta from the model is forwarded to the browser, batched into frames so the socket is not flooded.',
  'The session window keeps the last twenty messages, whole turns only, so the model always sees a valid history.',
  'When a tool is needed the model asks for it, the handler runs it, and the answer continues with the result.',
].join(' ');

/** Deterministic prose of exactly `tokens` whitespace-led words. */
function longText(tokens: number): string {
  const words = LONG_TEXT_SOURCE.split(' ');
  return Array.from({ length: tokens }, (_, i) => words[i % words.length]).join(' ');
}

function continueFrom(prefill: WireMessage, full: ScriptedReply): ScriptedReply {
  const said = prefill.content.map((block) => block.text ?? '').join('');
  const rest = full.text.startsWith(said) ? full.text.slice(said.length) : full.text;
  return { text: rest, toolUses: [], stopReason: 'end_turn' };
}

function timeZoneIn(question: string): string {
  const explicit = /\b([A-Z][A-Za-z_]+\/[A-Z][A-Za-z_]+(?:\/[A-Z][A-Za-z_]+)?)\b/.exec(question)?.[1];
  if (explicit) return explicit;
  const lower = question.toLowerCase();
  const city = Object.keys(CITY_TIME_ZONES).find((name) => lower.includes(name));
  return city ? (CITY_TIME_ZONES[city] as string) : 'UTC';
}

function resourceNameIn(question: string): string | undefined {
  if (
    !/\b(resource|link|url|where (is|are|can i find)|who owns|owner|dashboard|runbook|repo|repository)\b/i.test(
      question,
    )
  ) {
    return undefined;
  }
  const quoted = /[`"“']([^`"”']{2,80})[`"”']/.exec(question)?.[1];
  if (quoted) return quoted.trim();
  const kebab = /\b([a-z0-9]+(?:-[a-z0-9]+)+)\b/i.exec(question)?.[1];
  if (kebab) return kebab;
  const named =
    /\b(?:for|of|is|find|to)\s+(?:the\s+)?([\w][\w -]{1,60}?)\s*(?:dashboard|runbook|repo|repository|service)?\s*[?.!]*$/i.exec(
      question,
    )?.[1];
  return named?.trim() || undefined;
}

/** What a person from support said in this conversation (a handoff folds it into the history), if anything. */
function lastWordsOfAPerson(messages: WireMessage[]): string | undefined {
  const said = messages
    .filter((message) => message.role === 'assistant')
    .map((message) => message.content.map((block) => block.text ?? '').join(''))
    .findLast((text) => text.startsWith('A person from support'));
  return said === undefined ? undefined : said.charAt(0).toLowerCase() + said.slice(1);
}

/** The user asks to talk to a human rather than the assistant. */
function asksForAPerson(question: string): boolean {
  return /\b(human|humans|a person|real person|someone real|an agent|human agent|live agent|support agent)\b/i.test(
    question,
  );
}

/** `#name:value` directives out ("#fault:stall", "#id:abc"); a plain hashtag ("#team-payments") stays. */
function stripDirectives(text: string): string {
  return text
    .replace(/#[a-z]+:\S*/gi, '')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function firstSentences(text: string, count: number): string {
  // A chunk keeps its document's markdown headings; an answer quotes the sentences, not the headings.
  const flat = text
    .replace(/^#{1,6}\s.*$/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  const sentences = flat.match(/[^.!?]+[.!?]+/g) ?? [flat];
  return sentences.slice(0, count).join('').trim();
}

/** Stable across runs, so a conversation with tool calls replays against the same fixture every time. */
function toolUseIdFor(messages: WireMessage[], name: string, index: number): string {
  const digest = createHash('sha256')
    .update(JSON.stringify(messages))
    .update(`${name}#${index}`)
    .digest('base64url');
  return `tooluse_${digest.slice(0, 22)}`;
}
