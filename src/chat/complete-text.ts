import { addUsage, type TokenUsage, ZERO_USAGE } from './messages.ts';
import type { ModelClient, ModelRequest } from './ports.ts';

/** A call made after `done` (a summary, a title) answered with a tool call instead of text. */
export class ToolInsteadOfTextError extends Error {
  override readonly name = 'ToolInsteadOfTextError';
}

/** One model call's whole text and usage, for calls whose answer nobody watches stream. */
export async function completeText(
  model: ModelClient,
  request: ModelRequest,
  signal: AbortSignal,
): Promise<{ text: string; usage: TokenUsage }> {
  let text = '';
  let usage = ZERO_USAGE;
  for await (const event of model.stream(request, signal)) {
    if (event.type === 'text') text += event.text;
    else if (event.type === 'usage') usage = addUsage(usage, event.usage);
    else if (event.type === 'toolUse')
      throw new ToolInsteadOfTextError('The model asked for a tool where only text was wanted.');
  }
  return { text, usage };
}
