import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../../emulator/repository-paths.ts';
import { DEFAULT_SCENARIO_CLOCK, type Scenario } from '../../../recorder/scenario.ts';
import {
  OFFLINE_TARGET,
  type ScenarioTurnResult,
  unmetExpectations,
} from '../../../recorder/scenario-runner.ts';
import type { ServerFrame } from '../../../src/protocol/server-frame.ts';

describe('OFFLINE_TARGET', () => {
  it('names the model and knowledge base serverless.yml gives the local stage', () => {
    const template = readFileSync(join(REPOSITORY_ROOT, 'serverless.yml'), 'utf8');

    expect(template).toMatch(
      new RegExp(`^\\s+modelId: ${OFFLINE_TARGET.modelId.replaceAll('.', '\\.')}$`, 'm'),
    );
    expect(template).toMatch(new RegExp(`^\\s+knowledgeBaseId: ${OFFLINE_TARGET.knowledgeBaseId}$`, 'm'));
  });
});

describe('unmetExpectations', () => {
  const scenario: Scenario = {
    name: 's',
    description: '',
    clock: DEFAULT_SCENARIO_CLOCK,
    file: 'fixtures/scenarios/s.json',
    turns: [
      { message: 'a', expect: { tools: ['kb_lookup'] } },
      { message: 'b', expect: { error: 'MODEL_THROTTLED' } },
    ],
  };
  const turn = (frames: Array<Partial<ServerFrame>>) => ({ frames }) as unknown as ScenarioTurnResult;

  it('is empty when every turn ends and uses tools as expected', () => {
    const results = [
      turn([{ type: 'status', tool: 'kb_lookup' }, { type: 'done' }]),
      turn([{ type: 'error', code: 'MODEL_THROTTLED' }]),
    ];

    expect(unmetExpectations(scenario, results)).toEqual([]);
  });

  it('says which turn ended differently or used other tools', () => {
    const results = [turn([{ type: 'done' }]), turn([{ type: 'done' }])];

    expect(unmetExpectations(scenario, results)).toEqual([
      'turn 1 used tools [], expected [kb_lookup]',
      'turn 2 ended with done, expected error MODEL_THROTTLED',
    ]);
  });
});
