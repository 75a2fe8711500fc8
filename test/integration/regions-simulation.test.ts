import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatResults } from '../../local/regions/report.ts';
import { runRegionsSimulation, type ScenarioResult } from '../../local/regions/run-simulation.ts';

/*
 * The short version of `npm run sim:regions`: two regions of the chat on this machine (three serverless-offline
 * stacks, two DynamoDB Locals, the replicator), every scenario against the design of decision 21 (one write
 * region), and the two that lose turns most surely against the naive design (each region writes its own
 * replica), so this test fails if the naive design stops losing (the simulation would no longer show what it
 * claims to).
 */
let results: ScenarioResult[] = [];
const lines: string[] = [];

beforeAll(async () => {
  results = await runRegionsSimulation({
    short: true,
    lagMs: 300,
    modes: ['write-region', 'naive'],
    scenarios: { naive: ['concurrent', 'partition'] },
    progress: (line) => lines.push(line),
  });
}, 600_000);

afterAll(() => {
  console.log(`${lines.join('\n')}\n\n${formatResults(results)}`);
});

describe('two regions, one conversation (simulated)', () => {
  it('loses no completed turn, duplicates none and ends with both regions alike, in every scenario', () => {
    const design = results.filter((result) => result.mode === 'write-region');
    expect(design.map((result) => result.scenario)).toEqual(['steady', 'concurrent', 'partition', 'kill']);
    for (const result of design) {
      expect(result.completed, result.scenario).toBeGreaterThan(0);
      expect({ scenario: result.scenario, lost: result.lost, duplicated: result.duplicated }).toEqual({
        scenario: result.scenario,
        lost: 0,
        duplicated: 0,
      });
      expect(result.stored, result.scenario).toBe(result.completed);
      // The standby replica holds exactly what the write region holds, so it can take over (decision 21).
      expect(result.diverged, result.scenario).toBe(0);
      // Only one replica is ever written, so replication has no conflict to resolve.
      expect({ scenario: result.scenario, drops: result.lwwDrops }).toEqual({
        scenario: result.scenario,
        drops: 0,
      });
    }
  });

  it('fails clients over when their region is killed mid-answer, and they finish their turns elsewhere', () => {
    const kill = results.find((result) => result.mode === 'write-region' && result.scenario === 'kill');
    expect(kill?.failoverMs).toBeGreaterThan(0);
    expect(kill?.completed).toBe(kill?.sent);
  });

  it("shows the turns that writing each region's own replica loses to last-writer-wins", () => {
    const naive = results.filter((result) => result.mode === 'naive');
    expect(naive.map((result) => result.scenario)).toEqual(['concurrent', 'partition']);
    expect(naive.reduce((sum, result) => sum + result.lost, 0)).toBeGreaterThan(0);
    expect(naive.reduce((sum, result) => sum + result.lwwDrops, 0)).toBeGreaterThan(0);
  });
});
