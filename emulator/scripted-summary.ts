import type { ConverseBody, WireMessage } from './bedrock-types.ts';

/**
 * The scripted model as a summarizer: asked (by the chat's summary call, whose last message says "Summarize the
 * conversation … fold the first N exchanges …") it answers with an extractive summary: the existing summary's
 * `- ` lines, then every sentence of the first N exchanges that holds a name, a number or a decision, the
 * user's as they said them. Deterministic, so a fact stated in turn 1 survives any number of folds.
 */
export function scriptedSummary(body: ConverseBody): string | undefined {
  const messages = body.messages ?? [];
  const instruction = (messages.at(-1)?.content ?? []).map((block) => block.text ?? '').join('');
  const asked = /^Summarize the conversation\b.*?\bfold the first (\d+) exchanges\b/s.exec(instruction);
  if (!asked) return undefined;
  const exchanges = Number(asked[1]);

  const existing = (body.system ?? [])
    .map((block) => block.text ?? '')
    .filter((text) => text.startsWith('Summary of earlier turns'))
    .flatMap((text) => text.split('\n').filter((line) => line.startsWith('- ')));
  const folded = firstExchanges(messages.slice(0, -1), exchanges);
  const kept = folded.flatMap((message) => keptSentences(message));
  const lines = [...new Set([...existing, ...kept.map((sentence) => `- ${sentence}`)])];
  return lines.length > 0 ? lines.join('\n') : `- (nothing to keep from ${exchanges} exchanges)`;
}

function firstExchanges(messages: WireMessage[], count: number): WireMessage[] {
  let questions = 0;
  const folded: WireMessage[] = [];
  for (const message of messages) {
    const isQuestion = message.role === 'user' && message.content.some((block) => block.text !== undefined);
    if (isQuestion && ++questions > count) break;
    folded.push(message);
  }
  return folded;
}

const DECISION =
  /\b(decided|decide|agreed|chose|choose|will|plan|deadline|budget|prefer|favourite|favorite|called|named|is)\b/i;

function keptSentences(message: WireMessage): string[] {
  const text = message.content
    .map((block) => block.text ?? '')
    .join(' ')
    .replace(/#[a-z]+:\S*/gi, '')
    .replace(/\s+/g, ' ');
  const sentences = text.match(/[^.!?]+[.!?]?/g) ?? [];
  return sentences
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length > 0 && !sentence.endsWith('?'))
    .filter((sentence) => message.role === 'user' || /\d/.test(sentence))
    .filter((sentence) => /\d/.test(sentence) || /\s[A-Z][a-z]/.test(sentence) || DECISION.test(sentence));
}
