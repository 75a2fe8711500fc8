import { isTextBlock, type Message, ROUND_SEPARATOR, textOf } from './messages.ts';

/**
 * The answer's messages cut after its first `chars` characters of text, counted as they were streamed (each
 * model round's text, rounds that said something separated by ROUND_SEPARATOR; see tool-loop.ts). What comes
 * after the cut (the rest of a text, later tool calls and rounds) is dropped.
 */
export function truncateAnswer(messages: readonly Message[], chars: number): Message[] {
  const kept: Message[] = [];
  let left = chars;
  let spoke = false;
  for (const message of messages) {
    if (left <= 0) break;
    if (message.role !== 'assistant') {
      kept.push(message);
      continue;
    }
    if (textOf(message) !== '') {
      if (spoke) {
        if (left <= ROUND_SEPARATOR.length) break;
        left -= ROUND_SEPARATOR.length;
      }
      spoke = true;
    }
    const content: Message['content'] = [];
    for (const block of message.content) {
      if (left <= 0) break;
      if (!isTextBlock(block)) content.push(block);
      else if (block.text.length <= left) {
        content.push(block);
        left -= block.text.length;
      } else {
        content.push({ text: block.text.slice(0, left) });
        left = 0;
      }
    }
    kept.push({ ...message, content });
  }
  return endWithAnAnswer(kept);
}

/**
 * An answer never ends with tool results (the next question would merge into them): a cut right after a tool
 * round drops the round's calls and results, keeping what the model said before them.
 */
function endWithAnAnswer(messages: Message[]): Message[] {
  if (messages.at(-1)?.role !== 'user') return messages;
  const [call] = messages.slice(-2, -1);
  const said = call ? call.content.filter(isTextBlock) : [];
  return [...messages.slice(0, -2), ...(said.length > 0 ? [{ ...(call as Message), content: said }] : [])];
}
