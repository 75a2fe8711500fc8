import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidFixtureFileError } from '../../../emulator/errors.ts';
import { fixturePaths } from '../../../emulator/repository-paths.ts';
import { DEFAULT_SCENARIO_CLOCK, loadScenarios, readScenario } from '../../../recorder/scenario.ts';
import { temporaryDirectory } from '../../support/temporary-directory.ts';

function scenarioFile(json: unknown): string {
  const path = join(temporaryDirectory('scenarios-'), 'scenario.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

describe('readScenario', () => {
  it('fills in the fixed clock and an empty description', () => {
    expect(readScenario(scenarioFile({ name: 'hello', turns: [{ message: 'Hi' }] }))).toMatchObject({
      name: 'hello',
      description: '',
      clock: DEFAULT_SCENARIO_CLOCK,
      turns: [{ message: 'Hi' }],
    });
  });

  it.each([
    ['no turns', { name: 'x', turns: [] }, /turns/],
    ['an empty message', { name: 'x', turns: [{ message: '' }] }, /turns\.0\.message/],
    [
      'a clock that is not an ISO date-time',
      { name: 'x', clock: 'noon', turns: [{ message: 'Hi' }] },
      /clock/,
    ],
    ['an unknown expectation', { name: 'x', turns: [{ message: 'Hi', expect: { answer: 'x' } }] }, /expect/],
  ])('rejects %s, naming the file and field', (_case, json, field) => {
    const path = scenarioFile(json);

    expect(() => readScenario(path)).toThrow(InvalidFixtureFileError);
    expect(() => readScenario(path)).toThrow(field);
  });
});

describe('the committed scenarios', () => {
  it('each record the fixture of the same name', () => {
    for (const scenario of loadScenarios(fixturePaths().scenarios)) {
      expect(scenario.file).toBe(`fixtures/scenarios/${scenario.name}.json`);
    }
  });
});
