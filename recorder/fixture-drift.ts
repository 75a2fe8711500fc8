import { setupServer } from 'msw/node';
import { createEmulator } from '../emulator/emulator.ts';
import type { Fixture } from '../emulator/fixtures.ts';
import { createBedrockHandlers } from '../emulator/handlers.ts';
import type { LocalKnowledgeBase } from '../emulator/knowledge-base.ts';
import type { Resource } from '../src/chat/ports.ts';
import type { Scenario } from './scenario.ts';
import { OFFLINE_TARGET, runScenario, unmetExpectations } from './scenario-runner.ts';

export const REFRESH_COMMAND = 'npm run fixtures:refresh';

/**
 * Runs a fixture's scenario through today's engine against a strict emulator holding only that fixture, in
 * process. Returns what went wrong, in words: a request the fixture no longer matches (the system prompt,
 * a tool description or the engine's requests changed), or a turn that no longer ends as the scenario expects.
 */
export async function findFixtureDrift(
  fixture: Fixture,
  scenario: Scenario,
  world: { knowledgeBase: LocalKnowledgeBase; resources: Resource[] },
): Promise<string[]> {
  const emulator = createEmulator({
    mode: 'strict',
    fixtures: [fixture],
    knowledgeBase: world.knowledgeBase,
    pace: { firstTokenMs: 0, tokenMs: 0 },
    replayPacing: 0,
  });
  const server = setupServer(...createBedrockHandlers(emulator));
  server.listen({ onUnhandledRequest: 'error' });
  try {
    // Any host will do: msw answers in process.
    const turns = await runScenario(
      scenario,
      { ...OFFLINE_TARGET, endpoint: 'http://bedrock.fixture-check.test' },
      world.resources,
    );
    const unmatched = emulator
      .calls()
      .flatMap((call) => (call.source === 'unmatched' ? [call.detail ?? ''] : []));
    const problems = [...unmatched, ...(unmatched.length > 0 ? [] : unmetExpectations(scenario, turns))];
    const remedy =
      fixture.source === 'synthetic'
        ? `Re-record synthetic fixtures with \`${REFRESH_COMMAND}\`.`
        : `Re-record it against AWS with \`npm run record -- ${scenario.file}\`.`;
    return problems.map(
      (problem) =>
        `${fixture.file ?? fixture.name} no longer matches what the engine does: ${problem} ${remedy}`,
    );
  } finally {
    server.close();
  }
}
