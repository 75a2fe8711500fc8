import type { ConverseBody } from './bedrock-types.ts';

/**
 * The conversation rules Bedrock's Converse API enforces, with its error wording, so a client that would be
 * rejected on AWS is rejected offline too. Returns the ValidationException message, or undefined when valid.
 */
export function validateConverseBody(body: ConverseBody): string | undefined {
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    return 'The messages field is empty. Add at least one message and try again.';
  }

  let usesTools = false;
  for (const [index, message] of messages.entries()) {
    if (message.role !== 'user' && message.role !== 'assistant') {
      return `1 validation error detected: Value '${String(message.role)}' at 'messages.${index + 1}.member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]`;
    }
    if (!Array.isArray(message.content) || message.content.length === 0) {
      return `The content field in the Message object at messages.${index} is empty. Add a ContentBlock object to the content field and try again.`;
    }
    for (const [blockIndex, block] of message.content.entries()) {
      if (block.text !== undefined && block.text.trim() === '') {
        return `The text field in the ContentBlock object at messages.${index}.content.${blockIndex} is blank. Add text to the text field, and try again.`;
      }
      if (block.toolUse || block.toolResult) usesTools = true;
    }
  }

  if (messages[0]?.role !== 'user') {
    return 'A conversation must start with a user message. Try again with a conversation that starts with a user message.';
  }
  for (let index = 1; index < messages.length; index++) {
    if (messages[index]?.role === messages[index - 1]?.role) {
      return 'A conversation must alternate between user and assistant roles. Make sure the conversation alternates between user and assistant roles and try again.';
    }
  }

  for (const [index, message] of messages.entries()) {
    const previous = messages[index - 1];
    const asked = new Set(
      previous?.role === 'assistant'
        ? previous.content.flatMap((b) => (b.toolUse ? [b.toolUse.toolUseId] : []))
        : [],
    );
    const answered = message.content.flatMap((b) => (b.toolResult ? [b.toolResult.toolUseId] : []));
    if (answered.length > asked.size) {
      return `The number of toolResult blocks at messages.${index}.content exceeds the number of toolUse blocks of previous turn.`;
    }
    const missing = [...asked].filter((id) => !answered.includes(id));
    if (message.role === 'user' && asked.size > 0 && missing.length > 0) {
      return `Expected toolResult blocks at messages.${index}.content for the following Ids: ${missing.join(', ')}`;
    }
    const unknown = answered.filter((id) => !asked.has(id));
    if (unknown.length > 0) {
      return `messages.${index}.content contains toolResult blocks with unknown toolUseIds: ${unknown.join(', ')}`;
    }
  }
  const last = messages.at(-1);
  const lastText =
    last?.role === 'assistant'
      ? last.content.flatMap((b) => (b.text === undefined ? [] : [b.text])).at(-1)
      : undefined;
  if (lastText !== undefined && lastText !== lastText.trimEnd()) {
    return 'messages: final assistant content cannot end with trailing whitespace';
  }
  if (last?.role === 'assistant' && last.content.some((block) => block.toolUse)) {
    return `Expected toolResult blocks at messages.${messages.length}.content for the following Ids: ${last.content
      .flatMap((b) => (b.toolUse ? [b.toolUse.toolUseId] : []))
      .join(', ')}`;
  }

  if (usesTools && !body.toolConfig?.tools?.length) {
    return 'The toolConfig field must be defined when using toolUse and toolResult content blocks.';
  }
  return undefined;
}
