import type { ConverseBody, WireMessage } from './bedrock-types.ts';

/**
 * The scripted model's memory: "Remember that …" calls `remember` with the rest of the sentence, "Forget …"
 * calls `forget`, and a question about something the user said (a `- ` line of the system prompt, where the
 * chat puts remembered facts and the conversation's summary, or a statement earlier in the conversation) is
 * answered from it.
 */

const REMEMBER = /^\s*(?:please\s+)?remember(?:\s+that)?\s+(.+?)\s*[.!]*\s*$/is;
const FORGET = /^\s*(?:please\s+)?forget(?:\s+that|\s+about)?\s+(.+?)\s*[.!]*\s*$/is;

/** The `remember` or `forget` call the question asks for, if the tool is offered. */
export function memoryToolCall(
  question: string,
  tools: Set<string>,
): { name: string; input: Record<string, unknown> } | undefined {
  const remember = tools.has('remember') ? REMEMBER.exec(question)?.[1] : undefined;
  if (remember) return { name: 'remember', input: { statement: capitalize(remember) } };
  const forget = tools.has('forget') ? FORGET.exec(question)?.[1] : undefined;
  if (forget) return { name: 'forget', input: { statement: forget } };
  return undefined;
}

/** What the model says after a `remember` or `forget` result. */
export function describeMemoryResult(tool: string, json: Record<string, unknown>): string | undefined {
  if (tool === 'remember' && typeof json.remembered === 'string')
    return json.alreadyKnown
      ? `I already remember that: “${json.remembered}”.`
      : `Got it. I will remember that: “${json.remembered}”.`;
  if (tool === 'forget' && Array.isArray(json.forgotten))
    return json.forgotten.length === 0
      ? 'There was nothing to forget.'
      : `Done. I have forgotten: ${json.forgotten.map((text) => `“${text}”`).join(', ')}.`;
  return undefined;
}

const STOP_WORDS = new Set(
  'a an and are as at be by can could did do does for from had has have how i in is it its me my of on or our please remember remind say said tell that the their this to told was we were what when where which who why will with you your know'.split(
    ' ',
  ),
);

/**
 * The fact that answers a question about the user, from the system prompt's `- ` lines and the user's earlier
 * statements: the one sharing the most content words, if it shares most of the question's.
 */
export function recallFact(body: ConverseBody, question: string): string | undefined {
  if (!/\?\s*$/.test(question) && !/^\s*(what|which|who|where|when|do you|did i)\b/i.test(question)) {
    return undefined;
  }
  const asked = contentWords(question);
  if (asked.size === 0) return undefined;
  let best: { fact: string; shared: number } | undefined;
  for (const fact of candidateFacts(body)) {
    const words = contentWords(fact);
    const shared = [...asked].filter((word) => words.has(word)).length;
    if (shared / asked.size >= 0.6 && shared > (best?.shared ?? 0)) best = { fact, shared };
  }
  return best?.fact;
}

function candidateFacts(body: ConverseBody): string[] {
  const systemLines = (body.system ?? [])
    .flatMap((block) => (block.text ?? '').split('\n'))
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2).trim());
  const statements = (body.messages ?? []).slice(0, -1).flatMap(userStatements);
  return [...systemLines, ...statements];
}

/** Sentences the user stated (not asked) in one message. */
function userStatements(message: WireMessage): string[] {
  if (message.role !== 'user') return [];
  const text = message.content.map((block) => block.text ?? '').join(' ');
  // The end mark stays with its sentence, so a question the user asked before is never taken for a fact.
  return (text.match(/[^.!?\n]+[.!?]?/g) ?? [])
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.endsWith('?'));
}

function contentWords(text: string): Set<string> {
  return new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((word) => !STOP_WORDS.has(word)));
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
