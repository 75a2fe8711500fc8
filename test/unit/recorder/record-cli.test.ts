import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { readFixture } from '../../../emulator/fixtures.ts';
import { REPOSITORY_ROOT } from '../../../emulator/repository-paths.ts';
import { type EmulatorServer, startEmulatorServer } from '../../../emulator/server.ts';
import { createTestEmulator } from '../emulator/support/test-emulator.ts';

const run = promisify(execFile);
/** A fresh tsx process compiles the engine before it runs: seconds on a busy machine, never a verdict. */
const CLI_TIMEOUT_MS = 60_000;
let upstream: EmulatorServer;
beforeAll(async () => {
  upstream = await startEmulatorServer({ emulator: createTestEmulator({ mode: 'scripted' }) });
});
afterAll(() => upstream.close());

/** `npm run record -- …`, without npm's own output. */
const record = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'recorder/record-cli.ts', ...args], {
    cwd: REPOSITORY_ROOT,
    timeout: CLI_TIMEOUT_MS,
    env: { ...process.env, AWS_PROFILE: 'must-not-be-used' },
  });

describe('npm run record', { timeout: CLI_TIMEOUT_MS }, () => {
  it('records a scenario file against --upstream into --out and reports each turn', async () => {
    const out = mkdtempSync(join(tmpdir(), 'recorded-'));
    onTestFinished(() => rmSync(out, { recursive: true, force: true }));

    const { stdout } = await record(
      'fixtures/scenarios/lookup-resource.json',
      '--upstream',
      upstream.url,
      '--out',
      out,
    );

    expect(stdout).toContain(`Recording against ${upstream.url}`);
    expect(stdout).toMatch(
      /fixtures\/scenarios\/lookup-resource\.json → .*lookup-resource\.json \(2 interactions, synthetic\)/,
    );
    expect(stdout).toContain('turn 1: end_turn, tools lookup_resource');
    expect(readFixture(join(out, 'lookup-resource.json'))).toMatchObject({
      name: 'lookup-resource',
      source: 'synthetic',
    });
    // A child process that loads the recorder takes seconds on a busy machine: as long as its own timeout.
  }, 60_000);

  it('explains its usage when given no scenario', async () => {
    await expect(record()).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Usage: npm run record'),
    });
    // This one starts the recorder too (5.02 s under load average 10).
  }, 60_000);
});
