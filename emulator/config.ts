import { join } from 'node:path';
import { z } from 'zod';
import type { EmulatorMode, EmulatorOptions } from './emulator.ts';
import { parseFault } from './faults.ts';
import { loadFixtures } from './fixtures.ts';
import { loadKnowledgeBase } from './knowledge-base.ts';

const envSchema = z.object({
  EMULATOR_MODE: z.enum(['auto', 'strict', 'scripted']).default('auto'),
  EMULATOR_FIRST_TOKEN_MS: z.coerce.number().int().nonnegative().optional(),
  EMULATOR_TOKEN_MS: z.coerce.number().int().nonnegative().optional(),
  EMULATOR_PACING: z.coerce.number().nonnegative().default(1),
  EMULATOR_FAULT: z.string().optional(),
  EMULATOR_FIXTURES: z.string().optional(),
  EMULATOR_KNOWLEDGE_BASE: z.string().optional(),
});

/** Human-feeling defaults for `npm run dev`; tests pass 0 for both. */
export const DEV_PACE = { firstTokenMs: 350, tokenMs: 25 };

/**
 * Emulator options from the environment (documented in docs/emulator.md), with fixtures and the knowledge
 * base read from the repository's `fixtures/` folder unless pointed elsewhere.
 */
export function emulatorOptionsFromEnv(
  root: string,
  env: Record<string, string | undefined> = process.env,
  overrides: { mode?: EmulatorMode; firstTokenMs?: number; tokenMs?: number } = {},
): EmulatorOptions {
  const e = envSchema.parse(env);
  return {
    mode: overrides.mode ?? e.EMULATOR_MODE,
    fixtures: loadFixtures(e.EMULATOR_FIXTURES ?? join(root, 'fixtures', 'bedrock')),
    knowledgeBase: loadKnowledgeBase(e.EMULATOR_KNOWLEDGE_BASE ?? join(root, 'fixtures', 'knowledge-base')),
    pace: {
      firstTokenMs: e.EMULATOR_FIRST_TOKEN_MS ?? overrides.firstTokenMs ?? DEV_PACE.firstTokenMs,
      tokenMs: e.EMULATOR_TOKEN_MS ?? overrides.tokenMs ?? DEV_PACE.tokenMs,
    },
    replayPacing: e.EMULATOR_PACING,
    ...(e.EMULATOR_FAULT ? { defaultFault: parseFault(e.EMULATOR_FAULT) } : {}),
  };
}
