import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFixture } from '../../emulator/fixtures.ts';
import { fixturePaths } from '../../emulator/repository-paths.ts';
import { findFreeStackPorts, type Stack, startStack } from '../../local/stack.ts';
import { type ChatSocket, openChat } from '../support/chat-socket.ts';
import { TEST_HANDLER_ENV } from '../support/global-stack.ts';
import { stackInfoOf } from '../support/stack-info.ts';

const QUESTION = 'Hi! What can you help me with?';
const recorded = readFixture(join(fixturePaths().bedrock, 'plain-answer.json'));
const recordedText = (recorded.interactions.at(-1)?.response.events ?? [])
  .map((event) => (event.payload as { delta?: { text?: string } } | undefined)?.delta?.text ?? '')
  .join('');

/**
 * A stack as `npm run dev -- EMULATOR_MODE=strict` runs it, on a fixture folder of its own that starts empty:
 * what the dev terminal prints is collected from the stack's log.
 */
describe('strict mode in the dev loop: a fixture mismatch says so, and a new fixture is used at once', () => {
  let fixtures: string;
  let stack: Stack;
  let socket: ChatSocket;
  const terminal: string[] = [];
  const waitForTerminal = async (pattern: RegExp, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!terminal.some((line) => pattern.test(line))) {
      if (Date.now() > deadline)
        throw new Error(`The terminal never showed ${pattern}:\n${terminal.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    fixtures = mkdtempSync(join(tmpdir(), 'chat-fixtures-'));
    stack = await startStack({
      ports: await findFreeStackPorts(),
      emulator: { mode: 'strict', fixturesDirectory: fixtures, watchFixtures: true },
      auth: true,
      handlerEnv: TEST_HANDLER_ENV,
      log: (service, line) => terminal.push(`${service} ${line}`),
    });
    socket = await openChat(stackInfoOf(stack));
  }, 120_000);

  afterAll(async () => {
    await socket?.close();
    await stack?.stop();
    rmSync(fixtures, { recursive: true, force: true });
  });

  it('ends a question without a fixture with MODEL_FIXTURE_MISMATCH and prints the difference in the terminal', async () => {
    const { end } = await socket.turn(crypto.randomUUID(), QUESTION);

    expect(end).toMatchObject({ type: 'error', code: 'MODEL_FIXTURE_MISMATCH', retryable: false });
    expect(end.type === 'error' && end.message).toContain('strict mode');
    await waitForTerminal(
      /^emulator ConverseStream refused \(unmatched\): No fixture matches this ConverseStream request/,
    );
  });

  it('answers from a fixture added while the stack runs, without a restart', async () => {
    copyFileSync(join(fixturePaths().bedrock, 'plain-answer.json'), join(fixtures, 'plain-answer.json'));
    await waitForTerminal(/^emulator fixtures reloaded \(1 files\)/);

    const { text, end } = await socket.turn(crypto.randomUUID(), QUESTION);

    expect(end).toMatchObject({ type: 'done', stopReason: 'end_turn', modelCalls: 1 });
    expect(text).toBe(recordedText);
  });

  it('keeps the fixtures it has when a file in the folder does not parse, and says which file', async () => {
    writeFileSync(join(fixtures, 'half-saved.json'), '{ "format": "bedrock-emul');
    await waitForTerminal(
      /^emulator Invalid file .*half-saved\.json: .*\(the fixtures loaded before stay in use\)/,
    );

    const { end } = await socket.turn(crypto.randomUUID(), QUESTION);
    expect(end).toMatchObject({ type: 'done', stopReason: 'end_turn' });
  });
});
