import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { FIXTURE_FORMAT, FIXTURE_VERSION, type Fixture, serializeFixture } from '../emulator/fixtures.ts';
import type { Resource } from '../src/chat/ports.ts';
import { interactionFromExchange } from './interaction-from-exchange.ts';
import { createRecordingHandlers, type Exchange } from './recording-handlers.ts';
import type { Scenario } from './scenario.ts';
import { type BedrockTarget, runScenario, type ScenarioTurnResult } from './scenario-runner.ts';

export interface RecordOptions {
  /** Where Bedrock calls go: AWS itself (no endpoint; the fixture is "recorded") or a local upstream ("synthetic"). */
  target: BedrockTarget;
  /** The resource catalogue `lookup_resource` reads (fixtures/resources.json). */
  resources: Resource[];
  /** When the recording was made; defaults to now. */
  recordedAt?: Date;
}

export interface Recording {
  fixture: Fixture;
  turns: ScenarioTurnResult[];
}

/**
 * Records a scenario: runs it through the real engine while msw forwards each Bedrock call to its target and
 * captures the answer. The fixture holds the requests' bodies (never their headers) and the decoded answers,
 * with secrets redacted.
 */
export async function recordScenario(scenario: Scenario, options: RecordOptions): Promise<Recording> {
  const exchanges: Array<Promise<Exchange>> = [];
  const server = setupServer(...createRecordingHandlers((exchange) => exchanges.push(exchange)));
  // Anything else (a credential provider asking SSO or the instance metadata service) goes through untouched.
  server.listen({ onUnhandledRequest: 'bypass' });
  try {
    const turns = await runScenario(scenario, options.target, options.resources);
    const interactions = (await Promise.all(exchanges)).map(interactionFromExchange);
    const fixture: Fixture = {
      format: FIXTURE_FORMAT,
      version: FIXTURE_VERSION,
      name: scenario.name,
      description: scenario.description,
      source: options.target.endpoint === undefined ? 'recorded' : 'synthetic',
      recordedAt: (options.recordedAt ?? new Date()).toISOString(),
      scenario: scenario.file,
      interactions,
    };
    return { fixture, turns };
  } finally {
    server.close();
  }
}

/** Writes `<directory>/<name>.json` and returns its path. */
export function writeFixture(fixture: Fixture, directory: string): string {
  const path = join(directory, `${fixture.name}.json`);
  writeFileSync(path, serializeFixture(fixture));
  return path;
}
