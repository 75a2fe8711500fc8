import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { type ConverseBody, turnTextOf, type WireMessage } from '../emulator/bedrock-types.ts';
import { FIXTURE_FORMAT, FIXTURE_VERSION, type Fixture } from '../emulator/fixtures.ts';
import { interactionFromExchange } from './interaction-from-exchange.ts';
import { writeFixture } from './recorder.ts';
import type { Exchange } from './recording-handlers.ts';

export interface ConversationRecorder {
  /** Adds an exchange to its conversation's fixture, in request order, and rewrites that fixture's file. */
  add(exchange: Promise<Exchange>): void;
  /** Resolves when every exchange added so far is written. */
  flush(): Promise<void>;
}

interface Conversation {
  fixture: Fixture;
  /** The messages of its latest model call: the next call of the same conversation starts with them. */
  messages: WireMessage[];
}

/**
 * `npm run dev -- --bedrock aws --record <dir>`: every conversation of the local stack becomes a fixture in
 * `<dir>` (format v1, secrets redacted), ready to replay with EMULATOR_MODE=strict EMULATOR_FIXTURES=<dir>. A
 * model call belongs to the conversation whose latest call's messages it starts with (each turn resends the
 * window); a Retrieve belongs to the conversation of the latest model call, whose tool asked for it.
 */
export function createConversationRecorder(
  directory: string,
  options: { source: Fixture['source']; now?: () => Date; onWritten?: (path: string) => void },
): ConversationRecorder {
  mkdirSync(directory, { recursive: true });
  const conversations: Conversation[] = [];
  let latest: Conversation | undefined;
  let queue: Promise<void> = Promise.resolve();

  function conversationFor(exchange: Exchange): Conversation {
    if (exchange.operation === 'Retrieve' && latest) return latest;
    const body = exchange.requestBody as ConverseBody;
    const messages = body.messages ?? [];
    const continued = conversations.find((conversation) => startsWith(messages, conversation.messages));
    if (continued) {
      continued.messages = messages;
      return continued;
    }
    const question = turnTextOf(body) || 'conversation';
    const digest = createHash('sha256')
      .update(JSON.stringify([exchange.target, body.system ?? [], messages[0] ?? null]))
      .digest('hex')
      .slice(0, 8);
    const base = `${slug(question)}-${digest}`;
    const taken = conversations.filter((conversation) => conversation.fixture.name.startsWith(base)).length;
    const conversation: Conversation = {
      messages,
      fixture: {
        format: FIXTURE_FORMAT,
        version: FIXTURE_VERSION,
        // The same first question in another session is another conversation, in another file.
        name: taken === 0 ? base : `${base}-${taken + 1}`,
        description: `Recorded by npm run dev -- --bedrock aws: "${question.slice(0, 120)}"`,
        source: options.source,
        recordedAt: (options.now?.() ?? new Date()).toISOString(),
        interactions: [],
      },
    };
    conversations.push(conversation);
    return conversation;
  }

  return {
    add(exchange) {
      // Exchanges are written in the order the requests arrived, each once its answer is complete.
      queue = queue.then(async () => {
        const settled = await exchange.catch(() => undefined);
        if (!settled) return;
        const conversation = conversationFor(settled);
        if (settled.operation !== 'Retrieve') latest = conversation;
        conversation.fixture.interactions.push(interactionFromExchange(settled));
        const path = writeFixture(conversation.fixture, directory);
        options.onWritten?.(path);
      });
    },
    flush: () => queue,
  };
}

function startsWith(messages: WireMessage[], prefix: WireMessage[]): boolean {
  return (
    prefix.length > 0 &&
    prefix.length <= messages.length &&
    prefix.every((message, index) => JSON.stringify(message) === JSON.stringify(messages[index]))
  );
}

/** "How do I reset my password?" → "how-do-i-reset-my" (directives out). */
function slug(question: string): string {
  const words = question
    .replace(/#[a-z]+:\S*/gi, '')
    .toLowerCase()
    .match(/[a-z0-9]+/g);
  return (words ?? ['conversation']).slice(0, 5).join('-');
}
