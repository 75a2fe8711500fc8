import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyDummyAwsCredentials } from '../../../emulator/dummy-aws-credentials.ts';
import { readFixture, serializeFixture } from '../../../emulator/fixtures.ts';
import { REPOSITORY_ROOT } from '../../../emulator/repository-paths.ts';
import { refreshSyntheticFixtures } from '../../../recorder/fixture-refresh.ts';
import { DEFAULT_SCENARIO_CLOCK, type Scenario } from '../../../recorder/scenario.ts';
import { readResourceFixtures } from '../../../seed/seed-resources.ts';
import { temporaryDirectory } from '../../support/temporary-directory.ts';
import { fixtureOf } from '../emulator/support/fixture-builders.ts';
import { knowledgeBase } from '../emulator/support/test-emulator.ts';

const scenario = (name: string, message: string, expectedTools: string[] = []): Scenario => ({
  name,
  description: '',
  clock: DEFAULT_SCENARIO_CLOCK,
  turns: [{ message, expect: { tools: expectedTools } }],
  file: `fixtures/scenarios/${name}.json`,
});
const world = {
  knowledgeBase,
  resources: readResourceFixtures(REPOSITORY_ROOT),
  pace: { firstTokenMs: 0, tokenMs: 0 },
};

beforeAll(() => applyDummyAwsCredentials());

describe('refreshSyntheticFixtures', () => {
  it('writes missing fixtures, then leaves them untouched when only timings would change', async () => {
    const directory = temporaryDirectory('refresh-');
    const scenarios = [
      scenario('hello', 'Hello there'),
      scenario('time', 'What time is it in Tokyo?', ['current_time']),
    ];

    const first = await refreshSyntheticFixtures({ scenarios, fixturesDirectory: directory, ...world });
    const writtenAt = statSync(join(directory, 'hello.json')).mtimeMs;
    const second = await refreshSyntheticFixtures({ scenarios, fixturesDirectory: directory, ...world });

    expect(first.written.map((path) => path.slice(directory.length + 1))).toEqual([
      'hello.json',
      'time.json',
    ]);
    expect(readFixture(join(directory, 'time.json'))).toMatchObject({
      source: 'synthetic',
      interactions: [{}, {}],
    });
    expect(second).toMatchObject({ written: [], problems: [] });
    expect(second.unchanged).toHaveLength(2);
    expect(statSync(join(directory, 'hello.json')).mtimeMs).toBe(writtenAt);
  });

  it('rewrites a fixture whose requests changed', async () => {
    const directory = temporaryDirectory('refresh-');
    await refreshSyntheticFixtures({
      scenarios: [scenario('hello', 'Hello there')],
      fixturesDirectory: directory,
      ...world,
    });
    const path = join(directory, 'hello.json');
    writeFileSync(
      path,
      readFileSync(path, 'utf8').replace('You are a helpful assistant', 'You were a helpful assistant'),
    );

    const report = await refreshSyntheticFixtures({
      scenarios: [scenario('hello', 'Hello there')],
      fixturesDirectory: directory,
      ...world,
    });

    expect(report.written).toEqual([path]);
    expect(readFileSync(path, 'utf8')).toContain('You are a helpful assistant');
  });

  it('never overwrites a fixture recorded against AWS', async () => {
    const directory = temporaryDirectory('refresh-');
    const recorded = serializeFixture(
      fixtureOf(
        'hello',
        readFixture(join(REPOSITORY_ROOT, 'fixtures/bedrock/plain-answer.json')).interactions,
        { source: 'recorded' },
      ),
    );
    writeFileSync(join(directory, 'hello.json'), recorded);

    const report = await refreshSyntheticFixtures({
      scenarios: [scenario('hello', 'Hello there')],
      fixturesDirectory: directory,
      ...world,
    });

    expect(report.skipped).toEqual([join(directory, 'hello.json')]);
    expect(readFileSync(join(directory, 'hello.json'), 'utf8')).toBe(recorded);
  });

  it('writes nothing for a scenario whose run no longer does what it expects, and says why', async () => {
    const directory = temporaryDirectory('refresh-');

    const report = await refreshSyntheticFixtures({
      scenarios: [scenario('hello', 'Hello there', ['kb_lookup'])],
      fixturesDirectory: directory,
      ...world,
    });

    expect(report.written).toEqual([]);
    expect(report.problems).toEqual([
      'fixtures/scenarios/hello.json: turn 1 used tools [], expected [kb_lookup]',
    ]);
  });
});
