import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../emulator/json-file.ts';

/** The instant a scenario's `current_time` tool sees unless it says otherwise: recordings repeat exactly. */
export const DEFAULT_SCENARIO_CLOCK = '2026-01-15T09:30:00.000Z';

const turnSchema = z
  .object({
    /** What the user types. */
    message: z.string().min(1),
    /** What the engine should end the turn with; replay tests check it. */
    expect: z
      .object({
        /** Tools announced by status frames, in order. */
        tools: z.array(z.string()).optional(),
        /** The error frame's code, e.g. "MODEL_THROTTLED"; absent: the turn ends with `done`. */
        error: z.string().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * A scenario: user turns run, in one session, through the real chat engine to record a fixture of the same
 * name (fixtures/scenarios/<name>.json → fixtures/bedrock/<name>.json).
 */
export const scenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use kebab-case'),
    description: z.string().default(''),
    clock: z.iso.datetime().default(DEFAULT_SCENARIO_CLOCK),
    turns: z.array(turnSchema).min(1),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema> & { file: string };
export type ScenarioTurn = z.infer<typeof turnSchema>;

export function readScenario(path: string): Scenario {
  return readJsonFile(path, scenarioSchema);
}

export function loadScenarios(directory: string): Scenario[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => readScenario(join(directory, file)));
}
