import type { ConverseBody } from './bedrock-types.ts';

/** Most words of a scripted title, as the chat's title instruction asks ("at most six words"). */
const TITLE_WORDS = 6;

/**
 * The scripted model as a namer: asked (by the chat's title call, whose last message says "Write a title …")
 * it answers with the first question's first six words, directives and end marks left out, first letter
 * capitalised. Deterministic, so a test knows the title a conversation will get.
 */
export function scriptedTitle(body: ConverseBody): string | undefined {
  const messages = body.messages ?? [];
  const instruction = (messages.at(-1)?.content ?? []).map((block) => block.text ?? '').join('');
  if (!/^Write a title\b/.test(instruction)) return undefined;
  const question = (messages[0]?.role === 'user' ? messages[0].content : [])
    .map((block) => block.text ?? '')
    .join(' ')
    .replace(/#[a-z]+:\S*/gi, '')
    .replace(/[?!.…]+/g, ' ');
  const words = question
    .split(/\s+/)
    .filter((word) => word !== '')
    .slice(0, TITLE_WORDS);
  if (words.length === 0) return 'New conversation';
  const title = words.join(' ');
  return title.charAt(0).toUpperCase() + title.slice(1);
}
