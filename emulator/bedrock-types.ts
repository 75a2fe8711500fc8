/**
 * The slice of Bedrock's Converse wire format the emulator reads and writes. Kept loose on purpose: the
 * emulator must accept whatever a client sends and answer the way Bedrock would.
 */

export interface WireContentBlock {
  text?: string;
  toolUse?: { toolUseId: string; name: string; input: unknown };
  toolResult?: {
    toolUseId: string;
    content?: Array<{ text?: string; json?: unknown; [other: string]: unknown }>;
    status?: string;
  };
  [other: string]: unknown;
}

export interface WireMessage {
  role: string;
  content: WireContentBlock[];
}

export interface WireToolSpec {
  toolSpec?: { name: string; description?: string; inputSchema?: { json?: unknown } };
}

export interface ConverseBody {
  messages?: WireMessage[];
  system?: Array<{ text?: string; [other: string]: unknown }>;
  toolConfig?: { tools?: WireToolSpec[]; toolChoice?: unknown };
  inferenceConfig?: Record<string, unknown>;
  [other: string]: unknown;
}

export interface RetrieveBody {
  retrievalQuery?: { text?: string };
  retrievalConfiguration?: { vectorSearchConfiguration?: { numberOfResults?: number } };
  [other: string]: unknown;
}

export type Operation = 'Converse' | 'ConverseStream' | 'Retrieve';

/**
 * The text of the last user message that opens a turn (not a tool result, nor a request to continue a cut-off
 * answer): what the person asked. Directives in it apply to every model call of the turn.
 */
export function turnTextOf(body: ConverseBody): string {
  const messages = body.messages ?? [];
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role !== 'user' || isContinueRequest(message)) continue;
    const blocks = message.content ?? [];
    if (blocks.some((block) => block.toolResult)) continue;
    const text = blocks.map((block) => block.text ?? '').join('');
    if (text !== '') return text;
  }
  return '';
}

/** "Your answer was cut off… continue": how a client asks a model that takes no prefill to go on. */
export function isContinueRequest(message: WireMessage): boolean {
  const text = message.content.map((block) => block.text ?? '').join(' ');
  return message.role === 'user' && /\bcut off\b/i.test(text) && /\bcontinue\b/i.test(text);
}

export function toolNamesOf(body: ConverseBody): string[] {
  return (body.toolConfig?.tools ?? []).flatMap((tool) => (tool.toolSpec ? [tool.toolSpec.name] : []));
}
