import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findFreeStackPorts, ROOT, startStack } from '../../local/stack.ts';
import { stackInfoOf } from './stack-info.ts';

/**
 * Handler settings the tests rely on: a short model idle timeout so the stalled-stream test ends quickly, yet
 * longer than the SDK's throttling backoff (two retries, up to 1 s + 2 s), or a throttled turn would end
 * MODEL_TIMEOUT instead of MODEL_THROTTLED about one run in four.
 */
export const TEST_HANDLER_ENV = {
  CHAT_MODEL_IDLE_TIMEOUT_MS: '3500',
  CHAT_RATE_LIMIT_PER_MINUTE: '60',
  // The most a model call may write (the emulator stops there, as Bedrock does): enough for one answer to reach
  // the turn size limit, which test/integration/frame-limits.test.ts needs.
  CHAT_MAX_OUTPUT_TOKENS: '16384',
  // A history token budget (CHAT_WINDOW_TOKENS) as a model with a 2M-token context would get: Haiku 4.5's default
  // (20,000) keeps the window far below the 128 KB history frame and the 400 KB item, which frame-limits.test.ts
  // must reach. Windows still fold by messages (20).
  CHAT_WINDOW_TOKENS: '200000',
};

/**
 * Starts the real offline stack once per test project, on free ports so it never clashes with a running
 * `npm run dev`. The emulator answers at full speed (tests opt into pacing with `#pace:`). Its output is
 * saved under .artifacts/ for debugging a failed run.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const stack = await startStack({
    ports: await findFreeStackPorts(),
    emulator: { mode: 'auto', firstTokenMs: 0, tokenMs: 0 },
    // As on AWS, $connect needs a token (from the dev issuer standing in for Cognito).
    auth: true,
    handlerEnv: TEST_HANDLER_ENV,
  });
  project.provide('stack', stackInfoOf(stack));
  return async () => {
    const artifacts = join(ROOT, '.artifacts');
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, `${project.name}-offline.log`), stack.offline.recentOutput());
    await stack.stop();
  };
}
