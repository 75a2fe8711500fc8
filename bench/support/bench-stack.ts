import { findFreeStackPorts, startStack } from '../../local/stack.ts';
import { type StackInfo, stackInfoOf } from '../../test/support/stack-info.ts';
import { UNLIMITED_TURNS_PER_MINUTE } from './bench-rig.ts';

/**
 * The offline stack for `npm run bench`: DynamoDB Local (migrated, seeded), the emulator's scripted model at
 * zero latency and serverless-offline, on free loopback ports so a running `npm run dev` is left alone. Auth
 * is on, as on AWS: each socket signs in as its own user, so rate limits and usage are kept per user.
 */
export async function startBenchStack(): Promise<StackInfo & { stop(): Promise<void> }> {
  const stack = await startStack({
    ports: await findFreeStackPorts(),
    emulator: { mode: 'scripted', firstTokenMs: 0, tokenMs: 0 },
    auth: true,
    handlerEnv: { CHAT_RATE_LIMIT_PER_MINUTE: UNLIMITED_TURNS_PER_MINUTE },
  });
  return { ...stackInfoOf(stack), stop: () => stack.stop() };
}
