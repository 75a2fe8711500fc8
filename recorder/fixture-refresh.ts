import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulator } from '../emulator/emulator.ts';
import { type Fixture, readFixture } from '../emulator/fixtures.ts';
import { canonicalJson } from '../emulator/json-difference.ts';
import type { LocalKnowledgeBase } from '../emulator/knowledge-base.ts';
import type { ScriptedPace } from '../emulator/scripted-response.ts';
import { startEmulatorServer } from '../emulator/server.ts';
import type { Resource } from '../src/chat/ports.ts';
import { recordScenario, writeFixture } from './recorder.ts';
import type { Scenario } from './scenario.ts';
import { OFFLINE_TARGET, unmetExpectations } from './scenario-runner.ts';

/** A model that answers about as fast as a small Bedrock model, so synthetic fixtures replay with real pacing. */
export const SYNTHETIC_PACE: ScriptedPace = { firstTokenMs: 300, tokenMs: 20 };

export interface RefreshReport {
  /** Fixture files written because what the engine sends, or what the scripted model answers, changed. */
  written: string[];
  /** Fixtures whose requests and answers are the same as before (timings aside): left untouched. */
  unchanged: string[];
  /** Fixtures recorded against AWS: never overwritten with synthetic ones. */
  skipped: string[];
  /** Scenarios whose run did not do what they expect: not written. */
  problems: string[];
}

/**
 * Re-records the synthetic fixture of every scenario against the scripted model, served on a free loopback
 * port. A fixture is rewritten only when more than its timings changed, so a refresh leaves a clean diff.
 */
export async function refreshSyntheticFixtures(options: {
  scenarios: Scenario[];
  fixturesDirectory: string;
  knowledgeBase: LocalKnowledgeBase;
  resources: Resource[];
  pace?: ScriptedPace;
}): Promise<RefreshReport> {
  const report: RefreshReport = { written: [], unchanged: [], skipped: [], problems: [] };
  const emulator = createEmulator({
    mode: 'scripted',
    fixtures: [],
    knowledgeBase: options.knowledgeBase,
    pace: options.pace ?? SYNTHETIC_PACE,
    replayPacing: 1,
  });
  const upstream = await startEmulatorServer({ emulator });
  try {
    for (const scenario of options.scenarios) {
      const path = join(options.fixturesDirectory, `${scenario.name}.json`);
      const existing = existsSync(path) ? readFixture(path) : undefined;
      if (existing?.source === 'recorded') {
        report.skipped.push(path);
        continue;
      }
      const { fixture, turns } = await recordScenario(scenario, {
        target: { ...OFFLINE_TARGET, endpoint: upstream.url },
        resources: options.resources,
      });
      const unmet = unmetExpectations(scenario, turns);
      if (unmet.length > 0) {
        report.problems.push(`${scenario.file}: ${unmet.join('; ')}`);
      } else if (existing && sameApartFromTiming(existing, fixture)) {
        report.unchanged.push(path);
      } else {
        report.written.push(writeFixture(fixture, options.fixturesDirectory));
      }
    }
  } finally {
    await upstream.close();
  }
  return report;
}

function sameApartFromTiming(a: Fixture, b: Fixture): boolean {
  return canonicalJson(withoutTiming(a)) === canonicalJson(withoutTiming(b));
}

function withoutTiming(fixture: Fixture): unknown {
  const { file: _file, recordedAt: _recordedAt, ...rest } = fixture;
  return {
    ...rest,
    interactions: rest.interactions.map(
      ({ response: { delayMs: _delay, events, ...response }, ...interaction }) => ({
        ...interaction,
        response: { ...response, events: events?.map(({ delayMs: _eventDelay, ...event }) => event) },
      }),
    ),
  };
}
