import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyDummyAwsCredentials } from '../../../emulator/dummy-aws-credentials.ts';
import { loadFixtures } from '../../../emulator/fixtures.ts';
import { fixturePaths } from '../../../emulator/repository-paths.ts';
import { type EmulatorServer, startEmulatorServer } from '../../../emulator/server.ts';
import { createAwsBedrockHandlers } from '../../../recorder/aws-bedrock.ts';
import { readScenario } from '../../../recorder/scenario.ts';
import { OFFLINE_TARGET, runScenario } from '../../../recorder/scenario-runner.ts';
import { createTestEmulator } from '../emulator/support/test-emulator.ts';

// The local stack's handlers sign with dummy keys; the developer's own go only to the forwarder.
applyDummyAwsCredentials();
const servers: EmulatorServer[] = [];
const recordDir = mkdtempSync(join(tmpdir(), 'dev-recordings-'));
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(recordDir, { recursive: true, force: true });
});

const resources = [
  {
    name: 'billing-api',
    url: 'https://github.example.com/skylark/billing-api',
    owner: 'Payments',
    description: 'Invoices.',
  },
];
const answerText = (results: Awaited<ReturnType<typeof runScenario>>) =>
  results.map(({ frames }) =>
    frames.flatMap((frame) => (frame.type === 'token' ? [frame.value] : [])).join(''),
  );

describe('npm run dev -- --bedrock aws --record <dir>, with a second emulator standing in for AWS', () => {
  it('forwards the local stack’s model and Retrieve calls, saves each conversation, and the fixture replays in strict mode', async () => {
    const standIn = createTestEmulator({ mode: 'scripted' });
    const aws = await startEmulatorServer({ emulator: standIn });
    servers.push(aws);
    const localEmulator = createTestEmulator();
    const proxy = createAwsBedrockHandlers({
      region: 'us-east-1',
      credentials: { accessKeyId: 'DEVELOPER', secretAccessKey: 'developer-secret' },
      endpoint: aws.url,
      // No knowledge base on "AWS": Retrieve is answered by the local one.
      local: localEmulator,
      recordTo: recordDir,
    });
    const local = await startEmulatorServer({ emulator: localEmulator, handlers: proxy.handlers });
    servers.push(local);
    const scenario = readScenario(join(fixturePaths().scenarios, 'kb-lookup.json'));

    const live = await runScenario(scenario, { ...OFFLINE_TARGET, endpoint: local.url }, resources);
    await proxy.flush();

    expect(live[0]?.frames.at(-1)).toMatchObject({ type: 'done' });
    const files = readdirSync(recordDir);
    expect(files).toHaveLength(1);
    const [fixture] = loadFixtures(recordDir);
    expect(fixture?.source).toBe('synthetic');
    expect(fixture?.interactions.map((interaction) => interaction.operation)).toEqual([
      'ConverseStream',
      'Retrieve',
      'ConverseStream',
    ]);
    expect(standIn.calls().map((call) => call.operation)).toEqual(['ConverseStream', 'ConverseStream']);
    expect(localEmulator.calls().map((call) => call.operation)).toEqual(['Retrieve']);

    const replay = await startEmulatorServer({
      emulator: createTestEmulator({ mode: 'strict', fixtures: loadFixtures(recordDir), replayPacing: 0 }),
    });
    servers.push(replay);
    const replayed = await runScenario(scenario, { ...OFFLINE_TARGET, endpoint: replay.url }, resources);

    expect(answerText(replayed)).toEqual(answerText(live));
    expect(answerText(live)[0]).toMatch(/^According to the knowledge base/);
  });
});
