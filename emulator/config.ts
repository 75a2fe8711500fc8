import { z } from 'zod';
import type { EmulatorMode, EmulatorOptions } from './emulator.ts';
import { InvalidEmulatorConfigError } from './errors.ts';
import { parseFault } from './faults.ts';
import { loadFixtures } from './fixtures.ts';
import { loadGuardrails } from './guardrails.ts';
import { loadKnowledgeBase } from './knowledge-base.ts';
import { fixturePaths } from './repository-paths.ts';

/** An empty variable counts as unset (so `EMULATOR_PACING=` is not read as 0). */
const unsetIfEmpty = (value: unknown) => (value === '' ? undefined : value);
const wholeMs = z.preprocess(unsetIfEmpty, z.coerce.number().int().nonnegative().optional());

const envSchema = z.object({
  EMULATOR_MODE: z.enum(['auto', 'strict', 'scripted']).default('auto'),
  EMULATOR_FIRST_TOKEN_MS: wholeMs,
  EMULATOR_TOKEN_MS: wholeMs,
  EMULATOR_PACING: z.preprocess(unsetIfEmpty, z.coerce.number().nonnegative().default(1)),
  EMULATOR_FAULT: z.string().optional(),
  EMULATOR_FIXTURES: z.string().optional(),
  EMULATOR_KNOWLEDGE_BASE: z.string().optional(),
  EMULATOR_GUARDRAILS: z.string().optional(),
});

/** Human-feeling defaults for `npm run dev`; tests pass 0 for both. */
export const DEV_PACE = { firstTokenMs: 350, tokenMs: 25 };

/**
 * Emulator options from the environment (documented in docs/emulator.md), with fixtures and the knowledge
 * base read from the repository's `fixtures/` folder unless pointed elsewhere. `overrides` (set by code, e.g.
 * the test stack's zero pace) win over the environment, so a developer's shell cannot slow the tests down.
 */
export function emulatorOptionsFromEnv(
  root: string,
  env: Record<string, string | undefined> = process.env,
  overrides: {
    mode?: EmulatorMode;
    firstTokenMs?: number;
    tokenMs?: number;
    fixturesDirectory?: string;
  } = {},
): EmulatorOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new InvalidEmulatorConfigError(`Invalid emulator configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const paths = fixturePaths(root);
  return {
    mode: overrides.mode ?? e.EMULATOR_MODE,
    fixtures: loadFixtures(overrides.fixturesDirectory ?? e.EMULATOR_FIXTURES ?? paths.bedrock),
    knowledgeBase: loadKnowledgeBase(e.EMULATOR_KNOWLEDGE_BASE ?? paths.knowledgeBase),
    guardrails: loadGuardrails(e.EMULATOR_GUARDRAILS ?? paths.guardrails),
    pace: {
      firstTokenMs: overrides.firstTokenMs ?? e.EMULATOR_FIRST_TOKEN_MS ?? DEV_PACE.firstTokenMs,
      tokenMs: overrides.tokenMs ?? e.EMULATOR_TOKEN_MS ?? DEV_PACE.tokenMs,
    },
    replayPacing: e.EMULATOR_PACING,
    ...(e.EMULATOR_FAULT ? { defaultFault: parseFault(e.EMULATOR_FAULT) } : {}),
  };
}
